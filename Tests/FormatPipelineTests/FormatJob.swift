import Foundation
import RewriteQueue
import TestSupport

/// A job made by the real `laclip enqueue` from files the reference libraries wrote, its tasks
/// completed through the queue API (no LLM needed to test formats), exported by the binary.
struct FormatJob {
    let job: URL

    struct Caption: Equatable {
        var sourceID: Int
        var row: Int
        var text: [UInt8]
        var image: String?
        var key: String?
    }

    /// Runs `laclip enqueue ARGS --job JOB` with the checkout's styles and template.
    @discardableResult
    static func enqueue(_ arguments: [String], job: URL, styles: [String] = ["chatgpt", "bard", "coco", "human"]) throws
        -> ProcessOutput
    {
        try Laclip.run(["enqueue"] + arguments + ["--job", job.path, "--styles", styles.joined(separator: ",")])
    }

    /// Every stored caption, in id order.
    func captions() throws -> [Caption] {
        let opened = try Job(directory: job, readonly: true)
        var all: [Caption] = []
        for shard in opened.shards {
            try opened.openShard(shard, readonly: true).forEachCaptionBytes { row in
                all.append(
                    Caption(
                        sourceID: row.sourceID, row: row.row, text: Array(row.text),
                        image: row.image.map { String(decoding: $0, as: UTF8.self) },
                        key: row.key.map { String(decoding: $0, as: UTF8.self) }))
            }
        }
        return all
    }

    /// The rewrite stored for a caption and style: words and characters exporters must keep;
    /// `short` ones (one word) are what LaCLIP's rule replaces by the original.
    static func rewrite(caption id: Int64, style: Int) -> String {
        switch (Int(id) + style) % 5 {
        case 0: "a vivid \"rewrite\", with commas, of caption \(id) in style \(style)"
        case 1: "emoji 🚲 and RTL שלום => rewrite \(id)/\(style)"
        case 2: "multi\nline rewrite \(id) \(style)"
        case 3: "short\(id)"
        default: "plain rewrite \(id) \(style)"
        }
    }

    /// Completes every pending task whose (caption, style) `include` accepts.
    func complete(include: (Int64, Int) -> Bool = { _, _ in true }) throws {
        let opened = try Job(directory: job)
        for shard in opened.shards {
            let queue = try opened.openShard(shard)
            let claimed = try queue.claim(limit: 1_000_000, owner: "test", leaseMillis: 600_000)
            let results = claimed.filter { include($0.id.caption, $0.id.style) }.map {
                TaskResult(
                    task: $0, text: Self.rewrite(caption: $0.id.caption, style: $0.id.style),
                    model: "model-\($0.id.style)",
                    seed: $0.id.caption * 10 + Int64($0.id.style), promptTokens: 100, completionTokens: 20,
                    latencyMs: 5, finishReason: "stop")
            }
            try queue.complete(results, worker: "test")
            try queue.release(owner: "test")
        }
    }

    func export(_ arguments: [String]) throws -> ProcessOutput {
        try Laclip.run(["export", "--job", job.path] + arguments)
    }
}

struct FormatTestError: Error, CustomStringConvertible { var description: String }

extension ProcessOutput {
    /// Throws with both streams unless the process exited 0.
    @discardableResult
    func succeeded(_ what: String) throws -> ProcessOutput {
        guard status == 0 else { throw FormatTestError(description: "\(what) failed: \(self)") }
        return self
    }
}
