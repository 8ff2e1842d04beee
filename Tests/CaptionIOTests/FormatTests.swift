import CaptionIO
import Foundation
import Testing

@Suite("Formats")
struct FormatTests {
    @Test func laclipTrainingCSVHasNoHeaderAndPathFirst() throws {
        let directory = try TestDirectory()
        let url = try directory.write(
            "cc3m.csv", "train/0/1.jpg,a dog on a beach\ntrain/0/2.jpg,\"two cats, one hat\"\n")
        let outcome = try readAll(url)
        #expect(
            outcome.layout
                == CaptionLayout(
                    format: .csv, hasHeader: false, columns: nil, captionColumn: "column 1", imageColumn: "column 0",
                    summary:
                        "csv (by extension .csv), no header row, the path/URL-looking column is the image, caption=column 1, image=column 0"
                ))
        #expect(
            outcome.results == [
                record(1, 0, "a dog on a beach", "train/0/1.jpg"),
                record(2, 1, "two cats, one hat", "train/0/2.jpg"),
            ])
    }

    @Test func openCLIPCSVWithHeaderAndExtraColumns() throws {
        let directory = try TestDirectory()
        let url = try directory.write(
            "train.csv", "id,filepath,title,width\n7,a/7.png,a red car,640\n8,a/8.png,\"a \"\"big\"\" boat\",480\n")
        let outcome = try readAll(url)
        #expect(outcome.layout.hasHeader)
        #expect(outcome.layout.columns == ["id", "filepath", "title", "width"])
        #expect(outcome.layout.captionColumn == "title")
        #expect(outcome.layout.imageColumn == "filepath")
        #expect(outcome.layout.idColumn == "id")
        #expect(
            outcome.layout.summary
                == "csv (by extension .csv), header row (first row looks like column names), caption=title, image=filepath, id=id"
        )
        #expect(
            outcome.results == [
                .record(CaptionRecord(line: 2, row: 0, caption: "a red car", image: "a/7.png", key: "7")),
                .record(CaptionRecord(line: 3, row: 1, caption: "a \"big\" boat", image: "a/8.png", key: "8")),
            ])
    }

    @Test func openCLIPTabSeparatedFileNamedCSV() throws {
        let directory = try TestDirectory()
        let url = try directory.write(
            "cc3m_train.csv", "filepath\ttitle\nimgs/1.jpg\ta dog, running\nimgs/2.jpg\ta cat, sleeping\n")
        let outcome = try readAll(url)
        #expect(outcome.layout.format == .tsv)
        #expect(
            outcome.layout.summary
                == "tsv (extension .csv, but the rows are tab-separated), header row (first row looks like column names), caption=title, image=filepath"
        )
        #expect(
            outcome.results == [
                record(2, 0, "a dog, running", "imgs/1.jpg"), record(3, 1, "a cat, sleeping", "imgs/2.jpg"),
            ])
    }

    @Test(arguments: [true, false])
    func cc3mTSVWithoutHeaderInEitherOrder(captionFirst: Bool) throws {
        let directory = try TestDirectory()
        let rows = [
            ("a man riding a bike", "http://example.com/a.jpg"),
            ("sunset over the sea", "https://cdn.example.org/p?id=2"),
        ]
        let text = rows.map { captionFirst ? "\($0.0)\t\($0.1)\n" : "\($0.1)\t\($0.0)\n" }.joined()
        let url = try directory.write("Train_GCC-training.tsv", text)
        let outcome = try readAll(url)
        let captionColumn = captionFirst ? "column 0" : "column 1"
        let imageColumn = captionFirst ? "column 1" : "column 0"
        #expect(
            outcome.layout
                == CaptionLayout(
                    format: .tsv, hasHeader: false, columns: nil, captionColumn: captionColumn,
                    imageColumn: imageColumn,
                    summary:
                        "tsv (by extension .tsv), no header row, the path/URL-looking column is the image, caption=\(captionColumn), image=\(imageColumn)"
                ))
        #expect(outcome.results == [record(1, 0, rows[0].0, rows[0].1), record(2, 1, rows[1].0, rows[1].1)])
    }

    @Test func tsvKeepsRFC4180Quoting() throws {
        let directory = try TestDirectory()
        let url = try directory.write(
            "q.tsv", "caption\turl\n\"tab\there and \"\"quote\"\"\"\thttp://x/1.jpg\n\"two\nlines\"\thttp://x/2.jpg\n")
        let outcome = try readAll(url)
        #expect(
            outcome.results == [
                record(2, 0, "tab\there and \"quote\"", "http://x/1.jpg"), record(3, 1, "two\nlines", "http://x/2.jpg"),
            ])
    }

    @Test func jsonlDefaultKeys() throws {
        let directory = try TestDirectory()
        let url = try directory.write(
            "laion.jsonl",
            """
            {"url": "http://a/1.jpg", "caption": "a fox", "width": 3}
            {"caption": "caf\\u00e9 \\"au lait\\"", "url": "http://a/2.jpg"}

            """)
        let outcome = try readAll(url)
        #expect(
            outcome.layout
                == CaptionLayout(
                    format: .jsonl, hasHeader: false, columns: ["caption", "url", "width"],
                    captionColumn: "key caption",
                    imageColumn: "key url", summary: "jsonl (by extension .jsonl), caption=key caption, image=key url"))
        #expect(
            outcome.results == [
                record(1, 0, "a fox", "http://a/1.jpg"), record(2, 1, "café \"au lait\"", "http://a/2.jpg"),
            ])
    }

    @Test func jsonlDefaultKeysIgnoreCase() throws {
        let directory = try TestDirectory()
        let url = try directory.write(
            "part-0.jsonl", "{\"URL\": \"http://a/1.jpg\", \"TEXT\": \"a fox\", \"similarity\": 0.3}\n")
        let outcome = try readAll(url)
        #expect(outcome.layout.captionColumn == "key TEXT")
        #expect(outcome.layout.imageColumn == "key URL")
        #expect(outcome.results == [record(1, 0, "a fox", "http://a/1.jpg")])
    }

    @Test func jsonlSelectedKeys() throws {
        let directory = try TestDirectory()
        let url = try directory.write(
            "shard.jsonl",
            """
            {"key": "000001", "caption": "raw alt", "text": "clean text"}
            {"key": "000002", "caption": "raw alt 2", "text": "clean text 2"}
            """)
        let outcome = try readAll(url, CaptionReaderOptions(captionColumn: .name("text"), imageColumn: .name("key")))
        #expect(outcome.layout.summary == "jsonl (by extension .jsonl), caption=key text, image=key key")
        #expect(outcome.results == [record(1, 0, "clean text", "000001"), record(2, 1, "clean text 2", "000002")])
    }

    @Test func jsonlWithoutImageKey() throws {
        let directory = try TestDirectory()
        let url = try directory.write("c.jsonl", "{\"alt\": \"only text\"}\n")
        let outcome = try readAll(url)
        #expect(outcome.layout.imageColumn == nil)
        #expect(outcome.layout.summary == "jsonl (by extension .jsonl), caption=key alt, no image key")
        #expect(outcome.results == [record(1, 0, "only text")])
    }

    @Test func plainTextOneCaptionPerLine() throws {
        let directory = try TestDirectory()
        let url = try directory.write(
            "rewrites.txt", "a dog, \"quoted\" as is\r\n\r\n  \nsecond caption\nlast without newline")
        let outcome = try readAll(url)
        #expect(
            outcome.layout
                == CaptionLayout(
                    format: .txt, hasHeader: false, columns: nil, captionColumn: "line", imageColumn: nil,
                    summary: "txt (by extension .txt), one caption per line, no image column"))
        #expect(
            outcome.results == [
                record(1, 0, "a dog, \"quoted\" as is"), record(4, 1, "second caption"),
                record(5, 2, "last without newline"),
            ])
    }

    @Test func columnsChosenByIndex() throws {
        let directory = try TestDirectory()
        let url = try directory.write("three.csv", "p/1.jpg,short,the long caption\np/2.jpg,s2,long two\n")
        let outcome = try readAll(url, CaptionReaderOptions(captionColumn: .index(2), imageColumn: .index(0)))
        #expect(outcome.layout.summary == "csv (by extension .csv), no header row, caption=column 2, image=column 0")
        #expect(outcome.results == [record(1, 0, "the long caption", "p/1.jpg"), record(2, 1, "long two", "p/2.jpg")])
    }

    @Test func columnsChosenByNameImplyHeader() throws {
        let directory = try TestDirectory()
        let url = try directory.write("x.csv", "img,caption_en,caption_de\nq.jpg,a house,ein Haus\n")
        let outcome = try readAll(
            url, CaptionReaderOptions(captionColumn: .name("caption_de"), imageColumn: .name("img")))
        #expect(
            outcome.layout.summary
                == "csv (by extension .csv), header row (columns chosen by name), caption=caption_de, image=img")
        #expect(outcome.results == [record(2, 0, "ein Haus", "q.jpg")])
    }

    @Test func singleColumnCSVIsCaptionOnly() throws {
        let directory = try TestDirectory()
        let url = try directory.write("one.csv", "\"a, b\"\nplain\n")
        let outcome = try readAll(url)
        #expect(outcome.layout.summary == "csv (by extension .csv), no header row, caption=column 0, no image column")
        #expect(outcome.results == [record(1, 0, "a, b"), record(2, 1, "plain")])
    }

    @Test func explicitFormatOverridesExtension() throws {
        let directory = try TestDirectory()
        let url = try directory.write("data.dat", "x/1.png\ta b c\n")
        let outcome = try readAll(url, CaptionReaderOptions(format: .tsv))
        #expect(outcome.layout.summary.hasPrefix("tsv (format given), no header row"))
        #expect(outcome.results == [record(1, 0, "a b c", "x/1.png")])
    }

    @Test func columnSelectorParsing() {
        #expect(ColumnSelector(parsing: "2") == .index(2))
        #expect(ColumnSelector(parsing: "007") == .index(7))
        #expect(ColumnSelector(parsing: "title") == .name("title"))
        #expect(ColumnSelector(parsing: "-1") == .name("-1"))
        #expect(ColumnSelector(parsing: "") == .name(""))
        for text in ["3", "filepath"] {
            #expect(ColumnSelector(parsing: text).description == text)
        }
    }
}
