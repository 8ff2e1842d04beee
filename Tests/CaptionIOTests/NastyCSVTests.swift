import Foundation
import Testing

@testable import CaptionIO

@Suite("Nasty CSV")
struct NastyCSVTests {
    /// BOM, CRLF, quoted commas/quotes/newlines (LF and CRLF inside quotes), text after a closing
    /// quote, blank lines, whitespace-only line, an empty trailing line.
    static let nasty =
        "\u{FEFF}filepath,title\r\n"
        + "a/1.jpg,\"comma, inside\"\r\n"
        + "a/2.jpg,\"doubled \"\"quotes\"\" here\"\r\n"
        + "\r\n"
        + "a/3.jpg,\"line one\r\nline two\nline three\"\r\n"
        + "   \r\n"
        + "\"a/4.jpg\",\"quoted\"tail\n"
        + "a/5.jpg,unquoted \"inner\" quotes\n"
        + "a/6.jpg,\"\"\"\"\n"
        + "\n"

    static let nastyExpected: [CaptionReadResult] = [
        record(2, 0, "comma, inside", "a/1.jpg"),
        record(3, 1, "doubled \"quotes\" here", "a/2.jpg"),
        record(5, 2, "line one\r\nline two\nline three", "a/3.jpg"),
        record(9, 3, "quotedtail", "a/4.jpg"),
        record(10, 4, "unquoted \"inner\" quotes", "a/5.jpg"),
        record(11, 5, "\"", "a/6.jpg"),
    ]

    @Test func nastyFile() throws {
        let directory = try TestDirectory()
        let url = try directory.write("nasty.csv", Self.nasty)
        let outcome = try readAll(url)
        #expect(
            outcome.layout.summary
                == "csv (by extension .csv), header row (first row looks like column names), caption=title, image=filepath"
        )
        #expect(outcome.results == Self.nastyExpected)
    }

    @Test func lastRecordWithoutNewlineAndWithCR() throws {
        let directory = try TestDirectory()
        let url = try directory.write("end.csv", "a/1.jpg,first\r\na/2.jpg,\"last\"\r")
        #expect(try readAll(url).results == [record(1, 0, "first", "a/1.jpg"), record(2, 1, "last", "a/2.jpg")])
    }

    @Test func lineAndRowNumbersThroughMultiLineRecordsAndBadRows() throws {
        let directory = try TestDirectory()
        let text =
            "p/0.jpg,\"one\ntwo\nthree\"\n" // lines 1-3, row 0
            + "\n" // line 4, blank
            + "p/1.jpg\n" // line 5, row 1: missing column
            + "p/2.jpg,\"a\r\nb\"\r\n" // lines 6-7, row 2
            + "p/3.jpg,  \n" // line 8, row 3: empty caption
            + "p/4.jpg,\"x\n\ny\"\n" // lines 9-11, row 4
            + "p/5.jpg,end\n" // line 12, row 5
        let url = try directory.write("lines.csv", text)
        let outcome = try readAll(url, CaptionReaderOptions(captionColumn: .index(1), imageColumn: .index(0)))
        #expect(
            outcome.results.map(\.lineAndRow) == [
                .init(line: 1, row: 0), .init(line: 5, row: 1), .init(line: 6, row: 2), .init(line: 8, row: 3),
                .init(line: 9, row: 4), .init(line: 12, row: 5),
            ])
        #expect(
            outcome.badRows.map(\.description) == [
                "lines.csv:5: missing column: the row has 1 field, the caption (column 1) needs 2",
                "lines.csv:8: empty caption",
            ])
        #expect(outcome.captions == ["one\ntwo\nthree", "a\r\nb", "x\n\ny", "end"])
    }

    /// Chunk boundaries land inside quotes, between the halves of a doubled quote, between CR and
    /// LF; every chunk size must give the same records as reading the file whole.
    @Test(arguments: [1, 2, 3, 5, 7, 16, 64])
    func chunkBoundariesAnywhere(chunkSize: Int) throws {
        let directory = try TestDirectory()
        let body = String(Self.nasty.dropFirst("\u{FEFF}filepath,title\r\n".count))
        let url = try directory.write(
            "chunks.csv", String(repeating: body, count: 3) + "a/9.jpg,\"unclosed\r\nto the end")
        let options = CaptionReaderOptions(format: .csv, captionColumn: .index(1), imageColumn: .index(0))
        let whole = try readAll(url, options).results
        let reader = try CaptionReader(url: url, options: options, chunkSize: chunkSize)
        var pieces: [CaptionReadResult] = []
        while let result = try reader.next() { pieces.append(result) }
        #expect(pieces == whole)
        #expect(whole.count == 19)
        #expect(
            whole.last?.badRow?.description
                == "chunks.csv:34: unbalanced quote: a quoted field opened here never closes")
        #expect(
            whole.compactMap(\.record).map(\.line) == [
                1, 2, 4, 8, 9, 10, 12, 13, 15, 19, 20, 21, 23, 24, 26, 30, 31, 32,
            ])
    }

    @Test func bomOnlyBeforeFirstByteIsStripped() throws {
        let directory = try TestDirectory()
        let url = try directory.write("bom.txt", "\u{FEFF}first\n\u{FEFF}second keeps its BOM\n")
        #expect(try readAll(url).captions == ["first", "\u{FEFF}second keeps its BOM"])
    }
}

struct LineAndRow: Equatable {
    var line: Int
    var row: Int
}

extension CaptionReadResult {
    var lineAndRow: LineAndRow {
        switch self {
        case .record(let record): LineAndRow(line: record.line, row: record.row)
        case .bad(let bad): LineAndRow(line: bad.line, row: bad.row)
        }
    }
}
