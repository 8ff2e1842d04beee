import CaptionIO
import Foundation
import Testing

@Suite("Bad rows")
struct BadRowTests {
    @Test func unbalancedQuoteRunsToEndOfFile() throws {
        let directory = try TestDirectory()
        let url = try directory.write("data.csv", "a/1.jpg,fine\na/2.jpg,\"never closes\na/3.jpg,swallowed\n")
        let outcome = try readAll(url)
        #expect(outcome.results.count == 2)
        #expect(outcome.results[0] == record(1, 0, "fine", "a/1.jpg"))
        let bad = try #require(outcome.results[1].badRow)
        #expect(bad.reason == .unbalancedQuote)
        #expect(bad.row == 1)
        #expect(bad.description == "data.csv:2: unbalanced quote: a quoted field opened here never closes")
    }

    @Test func missingColumnThenContinues() throws {
        let directory = try TestDirectory()
        let url = try directory.write("data.csv", "filepath,title\nonly/a.jpg\nb.jpg,fine\n")
        let outcome = try readAll(url)
        #expect(
            outcome.results.first?.badRow?.description
                == "data.csv:2: missing column: the row has 1 field, the caption (title) needs 2")
        #expect(outcome.results.first?.badRow?.reason == .missingColumn)
        #expect(outcome.results.dropFirst().elementsEqual([record(3, 1, "fine", "b.jpg")]))
    }

    @Test func missingImageColumn() throws {
        let directory = try TestDirectory()
        let url = try directory.write("data.csv", "title,x,filepath\na cat,1\n")
        let outcome = try readAll(url)
        #expect(
            outcome.badRows.map(\.description) == [
                "data.csv:2: missing column: the row has 2 fields, the image (filepath) needs 3"
            ])
    }

    @Test func invalidUTF8ThenContinues() throws {
        let directory = try TestDirectory()
        var bytes = Array("a/1.jpg,caf".utf8) + [0xC3, 0x28] + Array("\na/2.jpg,ok\n".utf8)
        bytes += Array("\u{FF}".utf8) // valid: U+00FF encoded properly is not an error
        bytes += Array(",x\n".utf8)
        let url = try directory.write("data.csv", bytes: bytes)
        let outcome = try readAll(url, CaptionReaderOptions(captionColumn: .index(1), imageColumn: .index(0)))
        #expect(outcome.results.first?.badRow?.description == "data.csv:1: invalid UTF-8 in the caption")
        #expect(outcome.results.first?.badRow?.reason == .invalidUTF8)
        #expect(Array(outcome.results.dropFirst()) == [record(2, 1, "ok", "a/2.jpg"), record(3, 2, "x", "\u{FF}")])
    }

    @Test func invalidUTF8InImageColumnAndInTextLine() throws {
        let directory = try TestDirectory()
        let csv = try directory.write("data.csv", bytes: Array("a/".utf8) + [0xFF] + Array(".jpg,cap\n".utf8))
        let csvOutcome = try readAll(csv, CaptionReaderOptions(captionColumn: .index(1), imageColumn: .index(0)))
        #expect(csvOutcome.badRows.map(\.description) == ["data.csv:1: invalid UTF-8 in the image column"])
        let text = try directory.write("t.txt", bytes: Array("good\n".utf8) + [0xE2, 0x82] + Array("\nafter\n".utf8))
        let textOutcome = try readAll(text)
        #expect(
            textOutcome.results == [
                record(1, 0, "good"),
                .bad(BadRow(file: "t.txt", line: 2, row: 1, reason: .invalidUTF8, detail: "invalid UTF-8 in the line")),
                record(3, 2, "after"),
            ])
    }

    @Test func emptyCaptionThenContinues() throws {
        let directory = try TestDirectory()
        let url = try directory.write("data.csv", "a/1.jpg, \t \na/2.jpg,\"\"\na/3.jpg,\"\u{3000}\"\na/4.jpg,fine\n")
        let outcome = try readAll(url, CaptionReaderOptions(captionColumn: .index(1), imageColumn: .index(0)))
        #expect(
            outcome.badRows.map(\.description) == [
                "data.csv:1: empty caption", "data.csv:2: empty caption", "data.csv:3: empty caption",
            ])
        #expect(outcome.badRows.allSatisfy { $0.reason == .emptyCaption })
        #expect(outcome.results.last == record(4, 3, "fine", "a/4.jpg"))
    }

    @Test func captionTooLongCountsCharacters() throws {
        let directory = try TestDirectory()
        let decomposed = String(repeating: "e\u{301}", count: 10) // 10 characters, 20 scalars, 30 bytes
        let url = try directory.write("data.txt", "\(decomposed)\n12345678901\n1234567890\n")
        let outcome = try readAll(url, CaptionReaderOptions(maxCaptionCharacters: 10))
        #expect(
            outcome.results == [
                record(1, 0, decomposed),
                .bad(
                    BadRow(
                        file: "data.txt", line: 2, row: 1, reason: .captionTooLong,
                        detail: "caption too long: 11 characters (limit 10)")),
                record(3, 2, "1234567890"),
            ])
        #expect(outcome.badRows.first?.description == "data.txt:2: caption too long: 11 characters (limit 10)")
    }

    @Test func defaultLimitIsOneThousandCharacters() throws {
        let directory = try TestDirectory()
        let url = try directory.write(
            "data.txt", String(repeating: "x", count: 1000) + "\n" + String(repeating: "y", count: 1001) + "\n")
        let outcome = try readAll(url)
        #expect(outcome.records.map(\.line) == [1])
        #expect(outcome.badRows.map(\.description) == ["data.txt:2: caption too long: 1001 characters (limit 1000)"])
    }

    @Test func nulByteThenContinues() throws {
        let directory = try TestDirectory()
        let csv = try directory.write(
            "data.csv", bytes: Array("a/1.jpg,\"x\n".utf8) + [0] + Array("y\"\na/2.jpg,ok\n".utf8))
        let outcome = try readAll(csv, CaptionReaderOptions(captionColumn: .index(1), imageColumn: .index(0)))
        #expect(
            outcome.results == [
                .bad(BadRow(file: "data.csv", line: 1, row: 0, reason: .nulByte, detail: "NUL byte in the record")),
                record(3, 1, "ok", "a/2.jpg"),
            ])
        let text = try directory.write("data.txt", bytes: Array("a".utf8) + [0] + Array("b\nc\n".utf8))
        #expect(
            try readAll(text).results == [
                .bad(BadRow(file: "data.txt", line: 1, row: 0, reason: .nulByte, detail: "NUL byte in the line")),
                record(2, 1, "c"),
            ])
    }

    @Test func jsonlBadLinesThenContinue() throws {
        let directory = try TestDirectory()
        let url = try directory.write(
            "data.jsonl",
            """
            {"caption": "first", "url": "http://x/1.jpg"}
            {"caption": "broken",
            [1, 2]
            {"url": "http://x/4.jpg"}
            {"caption": 5, "url": "http://x/5.jpg"}
            {"caption": "no image"}
            {"caption": "nul \\u0000 inside", "url": "http://x/7.jpg"}
            {"caption": "  ", "url": "http://x/8.jpg"}
            {"caption": "last", "url": "http://x/9.jpg"}
            """)
        let outcome = try readAll(url)
        #expect(
            outcome.badRows.map(\.description) == [
                "data.jsonl:2: invalid JSON: the line is not a JSON object",
                "data.jsonl:3: invalid JSON: the line is not a JSON object",
                "data.jsonl:4: missing column: no key 'caption' (or it is null)",
                "data.jsonl:5: invalid JSON value: key 'caption' is a number or boolean, not a string",
                "data.jsonl:6: missing column: no key 'url' (or it is null)",
                "data.jsonl:7: NUL character (\\u0000) in a value",
                "data.jsonl:8: empty caption",
            ])
        #expect(
            outcome.badRows.map(\.reason) == [
                .invalidJSON, .invalidJSON, .missingColumn, .invalidJSON, .missingColumn, .nulByte, .emptyCaption,
            ])
        #expect(
            outcome.records == [
                CaptionRecord(line: 1, row: 0, caption: "first", image: "http://x/1.jpg"),
                CaptionRecord(line: 9, row: 8, caption: "last", image: "http://x/9.jpg"),
            ])
    }

    /// A record beyond the buffering cap is skipped without holding it, and reading resumes.
    @Test func hugeRecordIsSkippedAndReadingContinues() throws {
        let directory = try TestDirectory()
        let huge = String(repeating: "word, ", count: 1_000_000) // 6 MB
        let url = try directory.write("big.csv", "a/1.jpg,ok\na/2.jpg,\"\(huge)\nsecond line\"\na/3.jpg,after\n")
        let outcome = try readAll(url, CaptionReaderOptions(captionColumn: .index(1), imageColumn: .index(0)))
        #expect(outcome.results.count == 3)
        #expect(outcome.results[1].badRow?.reason == .captionTooLong)
        #expect(outcome.results[1].badRow?.line == 2)
        #expect(outcome.results[2] == record(4, 2, "after", "a/3.jpg"))
    }

    @Test func hugeUnclosedQuoteIsUnbalanced() throws {
        let directory = try TestDirectory()
        let huge = String(repeating: "x\n", count: 3_000_000)
        let url = try directory.write("big.csv", "a/1.jpg,ok\na/2.jpg,\"\(huge)")
        let outcome = try readAll(url, CaptionReaderOptions(captionColumn: .index(1), imageColumn: .index(0)))
        #expect(outcome.results.count == 2)
        #expect(
            outcome.results[1].badRow?.description
                == "big.csv:2: unbalanced quote: a quoted field opened here never closes")
    }

    @Test func badRowReasonCodesAreStable() {
        #expect(
            BadRowReason.allCases.map(\.rawValue) == [
                "unbalanced_quote", "missing_column", "invalid_utf8", "empty_caption", "caption_too_long", "nul_byte",
                "invalid_json",
                "broken_archive", "duplicate_key", "unsafe_member_name",
            ])
    }
}
