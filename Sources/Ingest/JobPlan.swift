import Foundation
import Prompting
import RewriteQueue

/// The settings that decide what a job's tasks are: seed, styles with their demonstrations,
/// template, sharding, dedup. Taken from the options for a new job, from the manifest on append.
struct JobPlan {
    var seed: UInt64
    var dedup: Bool
    var sharding: Sharding
    var styles: [StyleRecord]
    var sources: [MetaPairSource]
    var template: (file: String, text: String)
    /// Demonstrations per prompt: as many as the template shows.
    var demonstrationCount: Int
    var config: [String: String]

    init(options: EnqueueOptions) throws {
        let available = options.metaPairs.sources
        let names = options.styles ?? Self.defaultOrder(Array(available.keys))
        guard !names.isEmpty else { throw EnqueueError("no styles: \(options.metaPairsDirectory) holds no meta-pair files") }
        guard names.count <= 16 else { throw EnqueueError("at most 16 styles per job (asked for \(names.count))") }
        guard Set(names).count == names.count else { throw EnqueueError("--styles lists a style twice: \(names.joined(separator: ","))") }
        var sources: [MetaPairSource] = []
        for name in names {
            guard let source = available[name] else {
                throw EnqueueError("no meta pairs for style '\(name)' in \(options.metaPairsDirectory) (it has: \(available.keys.sorted().joined(separator: ", ")))")
            }
            guard source.unitCount >= options.template.demonstrationCount else {
                throw EnqueueError("style '\(name)' has \(source.unitCount) demonstrations but the template shows \(options.template.demonstrationCount) per prompt")
            }
            sources.append(source)
        }
        seed = options.seed
        dedup = options.dedup
        sharding = options.sharding
        self.sources = sources
        styles = sources.enumerated().map { index, source in
            StyleRecord(index: index, name: source.name, metaPairsFile: "\(options.metaPairsDirectory)/\(source.name).txt", metaPairs: source.text)
        }
        template = (options.templateFile, options.template.text)
        demonstrationCount = options.template.demonstrationCount
        var config = [
            "format_version": "1",
            "seed": String(seed),
            "dedup": String(dedup),
            "created_at": String(WallClock.now()),
        ]
        switch sharding {
        case .count(let n): config["sharding"] = "shards=\(n)"
        case .size(let n): config["sharding"] = "shard_size=\(n)"
        }
        self.config = config
    }

    init(manifest: JobManifest) throws {
        let config = try manifest.config()
        self.config = config
        seed = try manifest.seed()
        dedup = config["dedup"] == "true"
        let sharding = config["sharding"] ?? ""
        if sharding.hasPrefix("shards="), let n = Int(sharding.dropFirst(7)) {
            self.sharding = .count(n)
        } else if sharding.hasPrefix("shard_size="), let n = Int(sharding.dropFirst(11)) {
            self.sharding = .size(n)
        } else {
            self.sharding = .default
        }
        styles = try manifest.styles()
        sources = try styles.map { try MetaPairSource.parse(name: $0.name, text: $0.metaPairs, file: $0.metaPairsFile) }
        template = try manifest.template()
        demonstrationCount = try PromptTemplate(text: template.text, file: template.file).demonstrationCount
    }

    /// The paper's four sources first, in its order, then user sources alphabetically.
    static func defaultOrder(_ names: [String]) -> [String] {
        let paper = ["chatgpt", "bard", "coco", "human"]
        return paper.filter(names.contains) + names.filter { !paper.contains($0) }.sorted()
    }
}
