import Foundation
import RewriteQueue
import TestSupport

/// A real shard file with `captions` captions × `styles` styles, draws cycling through
/// `distinctDraws` values.
struct ShardFixture {
    let directory: TemporaryDirectory
    let url: URL

    init(captions: Int, styles: Int = 4, distinctDraws: Int64 = 5) throws {
        directory = try TemporaryDirectory("laclip-queue")
        url = directory.path("shard-0000.sqlite")
        let builder = try ShardBuilder(url: url)
        for c in 0..<captions {
            try builder.addCaption(
                id: Int64(c), sourceID: 0, row: c, line: c + 1, image: "img/\(c).jpg",
                text: "caption \(c)", canonicalID: nil)
            for s in 0..<styles {
                try builder.addTask(TaskID(caption: Int64(c), style: s), draw: Int64((c * 7 + s) % Int(distinctDraws)))
            }
        }
        try builder.finish()
    }

    func open() throws -> ShardQueue { try ShardQueue(url: url) }
}

func result(for task: ClaimedTask, text: String? = nil) -> TaskResult {
    TaskResult(
        task: task, text: text ?? "a rewrite of \(task.caption)", model: "test-model",
        seed: 7, promptTokens: 100, completionTokens: 12, latencyMs: 3.5, finishReason: "stop")
}
