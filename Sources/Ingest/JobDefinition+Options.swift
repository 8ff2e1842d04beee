import Foundation
import Prompting
import RewriteQueue

extension JobDefinition {
    /// A new job's definition from `laclip enqueue`'s options: its styles checked against the
    /// meta-pair library and the template (on append the stored definition is used instead).
    init(options: EnqueueOptions) throws {
        let available = options.metaPairs.sources
        let names = options.styles ?? options.metaPairs.styleNames
        guard !names.isEmpty else {
            throw EnqueueError(.styles, "no styles: \(options.metaPairsDirectory) holds no meta-pair files")
        }
        guard names.count <= TaskID.maxStyles else {
            throw EnqueueError(.styles, "at most \(TaskID.maxStyles) styles per job (asked for \(names.count))")
        }
        guard Set(names).count == names.count else {
            throw EnqueueError(.styles, "--styles lists a style twice: \(names.joined(separator: ","))")
        }
        var styles: [StyleRecord] = []
        for name in names {
            guard let source = available[name] else {
                throw EnqueueError(
                    .styles,
                    "no meta pairs for style '\(name)' in \(options.metaPairsDirectory) (it has: \(available.keys.sorted().joined(separator: ", ")))"
                )
            }
            guard source.unitCount >= options.template.demonstrationCount else {
                throw EnqueueError(
                    .styles,
                    "style '\(name)' has \(source.unitCount) demonstrations but the template shows \(options.template.demonstrationCount) per prompt"
                )
            }
            styles.append(
                StyleRecord(
                    index: styles.count, name: name, metaPairsFile: "\(options.metaPairsDirectory)/\(name).txt",
                    metaPairs: source.text))
        }
        try self.init(
            configuration: JobConfiguration(seed: options.seed, dedup: options.dedup, sharding: options.sharding),
            styles: styles, template: TemplateRecord(file: options.templateFile, text: options.template.text))
    }
}

extension Sharding {
    func captionsPerShard(total: Int) -> Int {
        switch self {
        case .count(let n): max(1, (total + n - 1) / max(n, 1))
        case .size(let n): max(1, n)
        }
    }
}
