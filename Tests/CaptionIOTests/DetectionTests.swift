import CaptionIO
import Foundation
import Testing

@Suite("Detection and file errors")
struct DetectionTests {
    struct HeaderCase: Sendable, CustomTestStringConvertible {
        var text: String
        var options: CaptionReaderOptions
        var hasHeader: Bool
        var caption: String
        var image: String?
        var testDescription: String { text.split(separator: "\n").first.map(String.init) ?? text }
    }

    static let headerCases: [HeaderCase] = [
        HeaderCase(
            text: "image,caption\np/1.jpg,a cat\n", options: .init(), hasHeader: true, caption: "caption",
            image: "image"),
        HeaderCase(
            text: "URL,TEXT\nhttp://a/1.jpg,a cat\n", options: .init(), hasHeader: true, caption: "TEXT", image: "URL"),
        HeaderCase(
            text: "p/1.jpg,a cat\np/2.jpg,title\n", options: .init(), hasHeader: false, caption: "column 1",
            image: "column 0"),
        // Known names, but a URL in the row: data, not a header.
        HeaderCase(
            text: "title,http://a/1.jpg\ntext,http://a/2.jpg\n", options: .init(), hasHeader: false,
            caption: "column 0", image: "column 1"),
        // Unknown names look like data unless the columns are chosen by name.
        HeaderCase(
            text: "pic,words\np/1.jpg,a cat\n", options: .init(captionColumn: .name("words")), hasHeader: true,
            caption: "words", image: nil),
        HeaderCase(text: "caption\na cat\n", options: .init(), hasHeader: true, caption: "caption", image: nil),
        HeaderCase(text: "a cat\na dog\n", options: .init(), hasHeader: false, caption: "column 0", image: nil),
        HeaderCase(
            text: "filepath,title,alt\np/1.jpg,t,a\n", options: .init(captionColumn: .index(2)), hasHeader: true,
            caption: "alt", image: "filepath"),
    ]

    @Test(arguments: headerCases)
    func headerDetection(_ example: HeaderCase) throws {
        let directory = try TestDirectory()
        let url = try directory.write("h.csv", example.text)
        let outcome = try readAll(url, example.options)
        #expect(outcome.layout.hasHeader == example.hasHeader)
        #expect(outcome.layout.captionColumn == example.caption)
        #expect(outcome.layout.imageColumn == example.image)
        let dataRows = example.text.split(separator: "\n").count - (example.hasHeader ? 1 : 0)
        #expect(outcome.records.count == dataRows)
        #expect(outcome.records.first?.line == (example.hasHeader ? 2 : 1))
    }

    struct SummaryCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var summary: String
        var testDescription: String { name }
    }

    static let summaryCases: [SummaryCase] = [
        SummaryCase(
            name: "captions", text: "{\"text\": \"a\", \"url\": \"http://x/1.jpg\"}\n",
            summary: "jsonl (by content: the first line is a JSON object), caption=key text, image=key url"),
        SummaryCase(
            name: "pairs", text: "a red bus\thttp://x/1.jpg\na blue car\thttp://x/2.jpg\n",
            summary:
                "tsv (by content: tab-separated rows), no header row, the path/URL-looking column is the image, caption=column 0, image=column 1"
        ),
        SummaryCase(
            name: "pairs.data", text: "x/1.jpg,\"a bus, red\"\nx/2.jpg,a car\n",
            summary:
                "csv (by content: comma-separated rows), no header row, the path/URL-looking column is the image, caption=column 1, image=column 0"
        ),
        SummaryCase(
            name: "gcc.txt", text: "a red bus\thttp://x/1.jpg\n",
            summary:
                "tsv (extension .txt, but the rows are tab-separated), no header row, the path/URL-looking column is the image, caption=column 0, image=column 1"
        ),
        SummaryCase(
            name: "plain.txt", text: "a red bus, parked\na car\n",
            summary: "txt (by extension .txt), one caption per line, no image column"),
        SummaryCase(
            name: "commas.tsv", text: "filepath,title\nx/1.jpg,a car\n",
            summary:
                "csv (extension .tsv, but the rows are comma-separated), header row (first row looks like column names), caption=title, image=filepath"
        ),
        SummaryCase(
            name: "data.json", text: "{\"caption\": \"a\"}\n",
            summary: "jsonl (by extension .json), caption=key caption, no image key"),
    ]

    @Test(arguments: summaryCases)
    func autoDetectionSummary(_ example: SummaryCase) throws {
        let directory = try TestDirectory()
        let url = try directory.write(example.name, example.text)
        #expect(try readAll(url).layout.summary == example.summary)
    }

    @Test func unknownColumnNameListsColumns() throws {
        let directory = try TestDirectory()
        let url = try directory.write("data.csv", "\n\"file path\",title\nx.jpg,y\n")
        let error = fileError(url, CaptionReaderOptions(captionColumn: .name("caption")))
        #expect(error?.kind == .unknownColumn)
        #expect(error?.description == "data.csv:2: no column named 'caption' (columns: file path, title)")
    }

    @Test func unknownJSONLKeyListsKeys() throws {
        let directory = try TestDirectory()
        let url = try directory.write("d.jsonl", "{\"b\": \"x\", \"a\": \"y\"}\n")
        #expect(
            fileError(url, .init(captionColumn: .name("caption")))?.description
                == "d.jsonl: no key 'caption' in the first object (keys: a, b)")
        #expect(
            fileError(url)?.description
                == "d.jsonl: no caption key in the first object (keys: a, b); give the caption key")
        #expect(fileError(url, .init(captionColumn: .index(0)))?.kind == .undecidableColumns)
    }

    @Test func columnIndexOutOfRange() throws {
        let directory = try TestDirectory()
        let url = try directory.write("d.csv", "x/1.jpg,a\n")
        #expect(
            fileError(url, .init(captionColumn: .index(5)))?.description
                == "d.csv:1: no column 5 (0-based; the first row has 2 and no header)")
    }

    @Test(arguments: ["", "\u{FEFF}", "\n\r\n  \n"])
    func emptyFile(text: String) throws {
        let directory = try TestDirectory()
        let url = try directory.write("empty.csv", text)
        let error = fileError(url)
        #expect(error?.kind == .emptyFile)
        #expect(error?.description == "empty.csv: empty file (no non-blank line)")
    }

    @Test func cannotOpen() throws {
        let directory = try TestDirectory()
        let missing = fileError(directory.file("missing.csv"))
        #expect(missing?.kind == .cannotOpen)
        #expect(missing?.description == "missing.csv: cannot open: No such file or directory")
        #expect(fileError(directory.file("."))?.description == ".: cannot open: is a directory")
    }

    @Test func cannotDecideFormat() throws {
        let directory = try TestDirectory()
        let prose = try directory.write("notes", "a, b, and c\nsome, prose\n")
        let error = fileError(prose)
        #expect(error?.kind == .undecidableFormat)
        #expect(
            error?.description
                == "notes: cannot decide the format (no extension, and the first lines are not clearly JSONL, CSV or TSV); give the format (csv, tsv, jsonl or txt)"
        )
        let array = try directory.write("a.json", "[{\"caption\": \"x\"}]\n")
        #expect(
            fileError(array)?.description
                == "a.json: starts with '[': a JSON array, not JSON Lines (one object per line)")
        let compressed = try directory.write("a.csv.gz", "x")
        #expect(fileError(compressed)?.description == "a.csv.gz: compressed file (.gz): decompress it first")
    }

    @Test func cannotDecideColumns() throws {
        let directory = try TestDirectory()
        let three = try directory.write("three.csv", "p/1.jpg,a,b\n")
        #expect(
            fileError(three)?.description
                == "three.csv: 3 columns and no header: give the caption column (and the image column)")
        let neither = try directory.write("neither.csv", "a cat,a dog\n")
        #expect(fileError(neither)?.kind == .undecidableColumns)
        let noCaption = try directory.write("nocap.csv", "filepath,width\np/1.jpg,3\n")
        #expect(
            fileError(noCaption)?.description
                == "nocap.csv:1: no caption column among the columns (filepath, width); give the caption column")
    }

    @Test func layoutRoundTripsThroughJSON() throws {
        let directory = try TestDirectory()
        let layout = try readAll(try directory.write("r.csv", "filepath,title\nx/1.jpg,a\n")).layout
        let decoded = try JSONDecoder().decode(CaptionLayout.self, from: JSONEncoder().encode(layout))
        #expect(decoded == layout)
    }
}
