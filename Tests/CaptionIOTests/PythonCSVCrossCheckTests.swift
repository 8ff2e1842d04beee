import CaptionIO
import Foundation
import Seeding
import Testing

/// Python's csv module is what LaCLIP's own loader uses; its reading of a generated tricky file
/// is the reference for every field and every record's starting line.
@Suite("Cross-check with Python csv")
struct PythonCSVCrossCheckTests {
    struct PythonRow: Decodable {
        var line: Int
        var fields: [String]
    }

    static let pythonScript = """
        import csv, json, sys
        rows = []
        previous_end = 0
        with open(sys.argv[1], newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            for fields in reader:
                if fields:
                    rows.append({"line": previous_end + 1, "fields": fields})
                previous_end = reader.line_num
        json.dump(rows, sys.stdout)
        """

    static func trickyField(_ generator: inout SplitMix64) -> String {
        let pieces = [
            "a", "dog", " ", ",", "\"", "\"\"", "\n", "\r\n", "é", "猫", "🙂", "\t", "'", ";", "x y", "e\u{301}",
        ]
        var text = ["word", "Zebra", "ok"][Int.random(in: 0..<3, using: &generator)]
        for _ in 0..<Int.random(in: 0..<12, using: &generator) {
            text += pieces[Int.random(in: 0..<pieces.count, using: &generator)]
        }
        return text
    }

    /// Quotes a field when it must be and sometimes when it need not be; sometimes leaves a
    /// literal tail after the closing quote (`"ab"cd` reads as `abcd`).
    static func encode(_ field: String, _ generator: inout SplitMix64) -> String {
        let mustQuote = field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        guard mustQuote || Int.random(in: 0..<4, using: &generator) == 0 else { return field }
        let quoted = "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        return Int.random(in: 0..<10, using: &generator) == 0 ? quoted + "tail" : quoted
    }

    @Test func everyFieldMatchesPython() throws {
        let directory = try TestDirectory()
        var generator = SplitMix64(seed: 20_240_229)
        var text = "\u{FEFF}"
        var expectedFieldCount = 0
        // ~2.5 MB, so the reader's 1 MiB chunk boundaries fall inside records too.
        while text.utf8.count < 2_500_000 {
            let image = "img/\(expectedFieldCount)/\(Int.random(in: 0..<1_000_000, using: &generator)).jpg"
            let fields = [image, Self.trickyField(&generator), Self.trickyField(&generator)]
            text += fields.map { Self.encode($0, &generator) }.joined(separator: ",")
            text += Int.random(in: 0..<2, using: &generator) == 0 ? "\r\n" : "\n"
            if Int.random(in: 0..<15, using: &generator) == 0 {
                text += Int.random(in: 0..<2, using: &generator) == 0 ? "\n" : "\r\n"
            }
            expectedFieldCount += 1
        }
        text += "img/last.jpg,\"no newline\",\"at the end\"\r"
        let url = try directory.write("tricky.csv", text)

        let python = try runPython(file: url)
        try #require(python.count == expectedFieldCount + 1)

        for captionIndex in [1, 2] {
            let options = CaptionReaderOptions(
                captionColumn: .index(captionIndex), imageColumn: .index(0), maxCaptionCharacters: 100_000)
            let outcome = try readAll(url, options)
            #expect(outcome.badRows.isEmpty, "bad rows: \(outcome.badRows.prefix(3))")
            try #require(outcome.records.count == python.count)
            var mismatches = 0
            for (mine, reference) in zip(outcome.records, python) {
                let same =
                    mine.line == reference.line && mine.image == reference.fields[0]
                    && mine.caption == reference.fields[captionIndex] && reference.fields.count == 3
                if !same {
                    mismatches += 1
                    if mismatches <= 3 {
                        Issue.record(
                            "row \(mine.row): mine line \(mine.line) \(String(reflecting: mine.caption)), python line \(reference.line) \(reference.fields)"
                        )
                    }
                }
            }
            #expect(mismatches == 0)
            #expect(outcome.records.map(\.row) == Array(0..<python.count))
        }

        // The whole-file reader the trainer uses for LaCLIP CSVs: the same records, every field.
        let whole = try DelimitedRecords.read(url)
        #expect(whole.count == python.count)
        #expect(whole.map(\.line) == python.map(\.line))
        #expect(whole.map(\.fields) == python.map(\.fields))
    }

    @Test func wholeFileReaderNamesTheLineOfABrokenRecord() throws {
        let directory = try TestDirectory()
        let unclosed = try directory.write("unclosed.csv", "a.png,fine\n\nb.png,\"never\ncloses\n")
        let error = try #require(throws: CaptionFileError.self) { try DelimitedRecords.read(unclosed) }
        #expect(error.description == "unclosed.csv:3: unbalanced quote: a quoted field opened here never closes")
        let invalid = try directory.write("invalid.csv", bytes: Array("a.png,ok\nb.png,".utf8) + [0xFF, 0x0A])
        let decoding = try #require(throws: CaptionFileError.self) { try DelimitedRecords.read(invalid) }
        #expect(decoding.description == "invalid.csv:2: invalid UTF-8 in field 1")
    }

    private func runPython(file: URL) throws -> [PythonRow] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.pythonScript, file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 failed")
        return try JSONDecoder().decode([PythonRow].self, from: data)
    }
}
