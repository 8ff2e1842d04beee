import Foundation
import GRDB
import Prompting
import RewriteQueue
import TestSupport
import Testing

@Suite("the typed job definition")
struct JobDefinitionTests {
    static func definition(sharding: Sharding = .count(3)) throws -> JobDefinition {
        let file = RepositoryPaths.root.appendingPathComponent("MetaPairs/coco.txt")
        let style = StyleRecord(
            index: 0, name: "coco", metaPairsFile: file.path, metaPairs: try String(contentsOf: file, encoding: .utf8))
        return try JobDefinition(
            configuration: JobConfiguration(seed: 42, dedup: true, sharding: sharding, createdAt: 1_700_000_000_000),
            styles: [style], template: TemplateRecord(file: "<paper>", text: PromptTemplate.paper.text))
    }

    @Test(arguments: [Sharding.count(3), .size(7)])
    func whatEnqueueWritesIsWhatEveryCommandReadsBack(sharding: Sharding) throws {
        let directory = try TemporaryDirectory("laclip-definition")
        let written = try Self.definition(sharding: sharding)
        _ = try JobManifest.create(layout: JobLayout(directory: directory.url), definition: written)
        let read = try JobManifest(layout: JobLayout(directory: directory.url), readonly: true).definition()
        #expect(read == written)
        #expect(read.demonstrations(ofStyle: 0).name == "coco")
        #expect(read.prompt == PromptTemplate.paper)
    }

    @Test func encodesAsItsStoredTextsAndDecodesByParsingThem() throws {
        let written = try Self.definition()
        let json = try JSONEncoder().encode(written)
        #expect(try JSONDecoder().decode(JobDefinition.self, from: json) == written)
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(Set(object.keys) == ["configuration", "styles", "template"])
        object["template"] = ["file": "broken.txt", "text": "{caption} {nope}"]
        let broken = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(JobDefinition.self, from: broken) }
    }

    /// Config rows as earlier versions wrote them, and ones this version must refuse by name.
    @Test func configRowsAreReadByKeyAndBadOnesNamed() throws {
        let directory = try TemporaryDirectory("laclip-definition")
        let layout = JobLayout(directory: directory.url)
        _ = try JobManifest.create(layout: layout, definition: try Self.definition())
        func setConfig(_ key: String, _ value: String?) throws {
            let db = try DatabaseQueue(path: layout.manifest.path)
            try db.write { db in
                if let value {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO config(key, value) VALUES (?, ?)", arguments: [key, value])
                } else {
                    try db.execute(sql: "DELETE FROM config WHERE key = ?", arguments: [key])
                }
            }
        }
        func definition() throws -> JobDefinition { try JobManifest(layout: layout, readonly: true).definition() }

        try setConfig("sharding", "shard_size=1000")
        #expect(try definition().configuration.sharding == .size(1000))
        try setConfig("dedup", nil)
        #expect(try definition().configuration.dedup == false)

        for (key, value, says, kind) in [
            ("sharding", "rows=5", "config 'sharding' is 'rows=5'", QueueError.Kind.corrupt),
            ("seed", "minus one", "config 'seed' is 'minus one'", .corrupt),
            ("format_version", "2", "job format version 2 is newer", .newerFormat),
        ] {
            let directory = try TemporaryDirectory("laclip-definition")
            let layout = JobLayout(directory: directory.url)
            _ = try JobManifest.create(layout: layout, definition: try Self.definition())
            let db = try DatabaseQueue(path: layout.manifest.path)
            try db.write { try $0.execute(sql: "UPDATE config SET value = ? WHERE key = ?", arguments: [value, key]) }
            let error = #expect(throws: QueueError.self) {
                try JobManifest(layout: layout, readonly: true).definition()
            }
            #expect(
                error.map { "\($0)".contains(says) && "\($0)".contains(layout.manifest.path) } == true,
                "\(String(describing: error))")
            #expect(error?.kind == kind)
        }
    }
}

@Suite("queue errors carry a kind")
struct QueueErrorKindTests {
    @Test func aFolderWithoutAJobIsNoJob() throws {
        let directory = try TemporaryDirectory("laclip-no-job")
        let error = #expect(throws: QueueError.self) { try Job(directory: directory.url, readonly: true) }
        #expect(error?.kind == .noJob)
        #expect(error.map { "\($0)".contains(directory.url.path) } == true)
    }
}
