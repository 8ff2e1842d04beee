import Foundation
import Tar
import TestSupport
import Testing

@Suite("WebDataset grouping")
struct WebDatasetKeyTests {
    typealias T = TarTestSupport

    @Test(
        "key and extension of typical names",
        arguments: [
            ("000001.jpg", "000001", "jpg"), ("shard/000001.seg.png", "shard/000001", "seg.png"),
            ("a.b/c.d", "a.b/c", "d"), ("a/.hidden", "a/", "hidden"),
        ])
    func split(name: String, key: String, fileExtension: String) {
        let split = WebDatasetKey(memberName: name)
        #expect(split?.key == key)
        #expect(split?.fileExtension == fileExtension)
    }

    @Test("names without a key", arguments: ["noext", ".hidden", "a.b/c", ""])
    func noKey(name: String) {
        #expect(WebDatasetKey(memberName: name) == nil)
    }

    @Test("consecutive members with one key form a sample; others are dropped; duplicates throw")
    func grouping() throws {
        let dir = try TemporaryDirectory()
        let archive = dir.path("g.tar")
        let writer = try TarWriter(path: archive.path, syncOnFinish: false)
        for name in ["__meta__/x.json", "__key__", "a.jpg", "a.TXT", "noext", "b.jpg", "a.json", "b2.txt"] {
            try writer.append(name: name, data: Array(name.utf8))
        }
        try writer.finish()
        let grouper = WebDatasetSampleReader(reader: try TarReader(path: archive.path, displayName: "g.tar"))
        var samples: [WebDatasetSample] = []
        while let sample = try grouper.next() { samples.append(sample) }
        #expect(samples.map(\.key) == ["a", "b", "a", "b2"])
        #expect(samples.map { $0.members.map(\.fileExtension) } == [["jpg", "txt"], ["jpg"], ["json"], ["txt"]])

        let duplicate = dir.path("d.tar")
        let second = try TarWriter(path: duplicate.path, syncOnFinish: false)
        try second.append(name: "a.jpg", data: [])
        try second.append(name: "a.JPG", data: [])
        try second.finish()
        let failing = WebDatasetSampleReader(reader: try TarReader(path: duplicate.path, displayName: "d.tar"))
        #expect(throws: WebDatasetGroupingError.self) { try failing.next() }
    }
}
