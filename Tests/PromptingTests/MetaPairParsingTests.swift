import Foundation
import Testing

@testable import Prompting

@Suite struct MetaPairParsingTests {
    static let threePairs = """
        dog on the grass , stock photo => A happy brown dog rolls on the green grass.
        the bridge at night . => A stone bridge glows under street lamps at night.
        red apples in a basket => A wicker basket full of shiny red apples.
        """

    func parseError(_ text: String, name: String = "mine") -> MetaPairError? {
        do {
            _ = try MetaPairSource.parse(name: name, text: text, file: "mine.txt")
            return nil
        } catch {
            return error
        }
    }

    @Test func pairFileWithCommentsBlankLinesCRLFAndBOM() throws {
        let text =
            "\u{FEFF}# a comment\r\n\r\n  dog on the grass , stock photo =>  A happy brown dog rolls on the grass.  \r\n"
            + "   # indented comment\nthe bridge at night . => A stone bridge glows at night.\n"
            + "red apples in a basket => A wicker basket full of red apples.\n\n"
        let source = try MetaPairSource.parse(name: "mine", text: text, file: "mine.txt")
        #expect(source.layout == .pairs)
        #expect(
            source.pairs.map(\.input) == [
                "dog on the grass , stock photo", "the bridge at night .", "red apples in a basket",
            ])
        #expect(
            source.pairs.map(\.output) == [
                "A happy brown dog rolls on the grass.", "A stone bridge glows at night.",
                "A wicker basket full of red apples.",
            ])
        #expect(source.pairs.map(\.line) == [3, 5, 6])
        #expect(source.demonstrationCount == 3)
        #expect(source.text == text)
    }

    @Test func groupFileNumbersOrderedCaptionPairs() throws {
        let text =
            "[one]\na cat on a mat\nthe cat sits\na small cat\n[two]\ntwo red cars\nred cars parked\n[three]\nan old tree\na tall tree\n"
        let source = try MetaPairSource.parse(name: "scenes", text: text, file: "scenes.txt")
        #expect(source.layout == .groups)
        #expect(source.groups.map(\.captions.count) == [3, 2, 2])
        #expect(source.unitCount == 3)
        #expect(source.demonstrationCount == 6 + 2 + 2)
        let all = (0..<source.demonstrationCount).map { source.demonstration(id: $0)! }
        #expect(all.allSatisfy { $0.input != $0.output })
        #expect(Set(all.map { "\($0.input)|\($0.output)" }).count == 10)
        #expect(all[0] == Demonstration(id: 0, input: "a cat on a mat", output: "the cat sits"))
        #expect(all[5] == Demonstration(id: 5, input: "a small cat", output: "the cat sits"))
        #expect(all[7] == Demonstration(id: 7, input: "red cars parked", output: "two red cars"))
        #expect(source.demonstration(id: 10) == nil)
        #expect(source.demonstration(id: -1) == nil)
    }

    @Test(arguments: [
        ("dog on grass => Dog.\nx y => a b\nc d => e f", 1, "output has 1 word(s)"),
        ("dog on grass => A dog on the grass => again\nx y => a b\nc d => e f", 1, "more than one `=>`"),
        ("a b => c d\nx y => a b\njust a caption line", 3, "expected `input => output`"),
        ("a b => c d\nx y => a b\nx y => a b", 3, "duplicate of line 2"),
        ("a b => c d\nx y => a b\nThe Cat, sat. => the cat sat", 3, "output repeats the input"),
        ("a b => c d\n => a b\nc d => e f", 2, "empty input"),
        ("a b => c d\nx\ty => a b\nc d => e f", 2, "U+0009"),
        ("a b => c d\nx y => a \u{FFFD} b\nc d => e f", 2, "U+FFFD"),
        ("a b => c d\nx y => " + String(repeating: "word ", count: 41) + "\nc d => e f", 2, "characters long"),
        ("a b => c d\n[scene]\none two\nthree four", 2, "group header in a file of pairs"),
        ("[s]\none two\nthree four\na b => c d", 4, "inside a group"),
        ("[s]\none two\nthree four\n[t]\nfive six\n[u]\nx y\nz w", 4, "group [t] has 1 caption"),
        ("[s]\none two\nOne, two!\n[t]\nfive six\nseven\n", 3, "repeats line 2"),
        ("[s]\none two\nthree four\n[s]\nfive six\nseven eight\n", 4, "already defined on line 1"),
        ("[s\none two\nthree four", 1, "group header is `[label]`"),
    ])
    func lineErrorsNameTheLine(text: String, line: Int, reason: String) throws {
        let error = try #require(parseError(text))
        #expect(error.file == "mine.txt")
        #expect(error.line == line)
        #expect(error.reason.contains(reason), "\(error)")
        #expect(error.description.hasPrefix("mine.txt:\(line): "))
    }

    @Test func tooFewPairsOrGroupsIsAFileError() throws {
        let pairs = try #require(parseError("a b => c d\nx y => a b\n# only two"))
        #expect(pairs.line == nil)
        #expect(
            pairs.description
                == "mine.txt: 2 pairs; a source needs at least 3 (a prompt shows 3 distinct demonstrations)")
        let groups = try #require(parseError("[s]\none two\nthree four\n[t]\nfive six\nseven eight\n"))
        #expect(groups.reason.hasPrefix("2 groups"))
        let empty = try #require(parseError("# nothing here\n\n"))
        #expect(empty.reason.hasPrefix("0 pairs"))
    }

    @Test func styleNameMustBePlain() throws {
        let error = try #require(parseError(Self.threePairs, name: "my style"))
        #expect(error.reason.contains("style name 'my style'"))
        #expect(parseError(Self.threePairs, name: "my_style-2") == nil)
    }

    @Test func libraryLoadsOnlyTxtFilesAndReportsBadFilesWithTheirPath() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.threePairs.write(to: directory.appendingPathComponent("short.txt"), atomically: true, encoding: .utf8)
        try "# notes, not a style".write(
            to: directory.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        try "junk".write(to: directory.appendingPathComponent(".hidden.txt"), atomically: true, encoding: .utf8)
        let library = try MetaPairLibrary.load(directory: directory)
        #expect(Array(library.sources.keys) == ["short"])
        #expect(library.sources["short"]?.pairs.count == 3)

        let bad = directory.appendingPathComponent("broken.txt")
        try "a b => c d\nx y => a b\nnot a pair\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(
            throws: MetaPairError(
                file: bad.path, line: 3,
                reason: "expected `input => output`, or a caption after a `[label]` group header")
        ) {
            try MetaPairLibrary.load(directory: directory)
        }
    }

    @Test func invalidUTF8IsReportedWithItsLine() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("latin1.txt")
        var bytes = Array("a b => c d\nx y => a b\n".utf8)
        bytes += [0x63, 0x61, 0x66, 0xE9, 0x20, 0x74, 0x61, 0x62, 0x6C, 0x65] + Array(" => a cafe table\n".utf8)
        try Data(bytes).write(to: file)
        #expect(throws: MetaPairError(file: file.path, line: 3, reason: "not valid UTF-8")) {
            try MetaPairLibrary.loadFile(url: file)
        }
    }

    @Test func emptyOrMissingDirectoryIsAnError() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = #expect(throws: MetaPairError.self) { try MetaPairLibrary.load(directory: directory) }
        #expect(empty?.reason.contains("no meta-pair files") == true)
        let missing = #expect(throws: MetaPairError.self) {
            try MetaPairLibrary.load(directory: directory.appendingPathComponent("absent"))
        }
        #expect(missing?.reason.contains("cannot list") == true)
    }
}
