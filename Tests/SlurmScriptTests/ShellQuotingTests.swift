import Foundation
import SlurmScript
import TestSupport
import Testing

@Suite("shell quoting and word splitting")
struct ShellQuotingTests {
    static let awkwardWords = [
        "plain", "", "with space", "it's", "'", "''", "\"double\"", "$HOME", "`date`", "$(id)", "a\\b", "tab\there",
        "new\nline", "*.jpg", "~", "semi;colon", "a|b&c>d<e", "!bang", "#hash", "{port}", "ünïcödé caption", "%A_%a",
    ]

    @Test func bashReadsEveryQuotedWordBackExactly() throws {
        let script = "printf '%s\\0' " + Self.awkwardWords.map(ShellQuoting.quote).joined(separator: " ")
        let output = try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"), ["-c", script])
        #expect(output.status == 0, "\(output)")
        var words = output.stdout.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        #expect(words.removeLast() == "")
        #expect(words == Self.awkwardWords)
    }

    @Test func safeWordsStayBare() {
        #expect(ShellQuoting.quote("/work/job-1/shard_0.sqlite") == "/work/job-1/shard_0.sqlite")
        #expect(ShellQuoting.quote("--concurrency=4") == "--concurrency=4")
        #expect(ShellQuoting.quote("a b") == "'a b'")
        #expect(ShellQuoting.quote("it's") == "'it'\\''s'")
    }

    @Test func splitFollowsShellRules() throws {
        #expect(try ShellQuoting.split("") == [])
        #expect(
            try ShellQuoting.split("  --concurrency 4\t--styles  chatgpt,bard ") == [
                "--concurrency", "4", "--styles", "chatgpt,bard",
            ])
        #expect(
            try ShellQuoting.split("--model 'my model' \"x \\\"y\\\" \\n\" a\\ b ''") == [
                "--model", "my model", "x \"y\" \\n", "a b", "",
            ])
        #expect(try ShellQuoting.split("a'b'\"c\"d") == ["abcd"])
        #expect(try ShellQuoting.split("$HOME `x`") == ["$HOME", "`x`"])
    }

    @Test func splitAgreesWithBashOnQuotedWords() throws {
        let line = Self.awkwardWords.map(ShellQuoting.quote).joined(separator: " ")
        #expect(try ShellQuoting.split(line) == Self.awkwardWords)
    }

    @Test func unbalancedQuotesAreRefusedWithWhere() {
        #expect(throws: ShellWordsError.self) { try ShellQuoting.split("--model 'open") }
        do {
            _ = try ShellQuoting.split("ok \"never closed")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("character 4"), "\(error)")
        }
        #expect(throws: ShellWordsError.self) { try ShellQuoting.split("trailing\\") }
    }
}
