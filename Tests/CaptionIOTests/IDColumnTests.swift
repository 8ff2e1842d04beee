import CaptionIO
import Foundation
import Testing

/// `--id-column` (and its detection) in the text formats, as Parquet has it: the record's own
/// id travels with its caption to every export.
@Suite("ID columns")
struct IDColumnTests {
    @Test func uidIsPreferredAmongKnownNamesAndNeverTakesTheImageOrCaption() throws {
        let directory = try TestDirectory()
        let url = try directory.write("laion.csv", "key,url,TEXT,uid\n000001,http://x/1.jpg,a red car,9f2c\n")
        let outcome = try readAll(url)
        #expect(outcome.layout.imageColumn == "url")
        #expect(outcome.layout.idColumn == "uid")
        #expect(outcome.layout.summary.hasSuffix("caption=TEXT, image=url, id=uid"))
        #expect(
            outcome.records == [
                CaptionRecord(line: 2, row: 0, caption: "a red car", image: "http://x/1.jpg", key: "9f2c")
            ])
    }

    @Test func givenByNameOrByIndexInHeaderlessTSV() throws {
        let directory = try TestDirectory()
        let named = try readAll(
            try directory.write("a.csv", "filepath,title,sha\np/1.jpg,\"quoted, id\",\"a,b\"\n"),
            .init(idColumn: .name("sha")))
        #expect(named.records.map(\.key) == ["a,b"])
        let headerless = try readAll(
            try directory.write("b.tsv", "http://x/1.jpg\ta dog\t0001\nhttp://x/2.jpg\ta cat\t0002\n"),
            .init(captionColumn: .index(1), imageColumn: .index(0), idColumn: .index(2)))
        #expect(headerless.layout.idColumn == "column 2")
        #expect(headerless.records.map(\.key) == ["0001", "0002"])
    }

    @Test func aRowTooShortForTheIDIsABadRowNamingIt() throws {
        let directory = try TestDirectory()
        let url = try directory.write("c.csv", "filepath,title,uid\np/1.jpg,one,u1\np/2.jpg,two\n")
        let outcome = try readAll(url)
        #expect(outcome.records.map(\.key) == ["u1"])
        let bad = try #require(outcome.badRows.first)
        #expect(bad.line == 3)
        #expect(bad.reason == .missingColumn)
        #expect(bad.detail.contains("id (uid)"), "\(bad.detail)")
    }

    @Test func jsonlIDsAreStringsOrIntegersAndOtherValuesAreBadRows() throws {
        let directory = try TestDirectory()
        let url = try directory.write(
            "d.jsonl",
            """
            {"uid": "a1", "caption": "one"}
            {"uid": 12345678901, "caption": "two"}
            {"caption": "three"}
            {"uid": null, "caption": "four"}
            {"uid": true, "caption": "five"}
            {"uid": 1.5, "caption": "six"}
            {"uid": ["x"], "caption": "seven"}

            """)
        let outcome = try readAll(url)
        #expect(outcome.layout.summary.hasSuffix("caption=key caption, no image key, id=key uid"))
        #expect(outcome.records.map(\.caption) == ["one", "two", "three", "four"])
        #expect(outcome.records.map(\.key) == ["a1", "12345678901", nil, nil])
        #expect(outcome.badRows.map(\.line) == [5, 6, 7])
        #expect(outcome.badRows.allSatisfy { $0.reason == .invalidJSON && $0.detail.contains("id key 'uid'") })
    }

    @Test func errorsNameTheProblem() throws {
        let directory = try TestDirectory()
        let csv = try directory.write("e.csv", "filepath,title\np/1.jpg,one\n")
        #expect(fileError(csv, .init(idColumn: .name("uid")))?.message.contains("no column named 'uid'") == true)
        #expect(
            fileError(csv, .init(captionColumn: .name("title"), idColumn: .name("title")))?.message
                == "the caption and the id are both column 1")
        let text = try directory.write("f.txt", "a caption\n")
        #expect(fileError(text, .init(idColumn: .index(0)))?.message.contains("no id column") == true)
        let jsonl = try directory.write("g.jsonl", "{\"caption\": \"x\"}\n")
        #expect(fileError(jsonl, .init(idColumn: .name("uid")))?.message.contains("no key 'uid'") == true)
    }
}
