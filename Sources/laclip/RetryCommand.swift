import ArgumentParser
import Foundation
import RewriteQueue

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Return dead-lettered tasks to the queue with a fresh attempt budget.")

    @Option(help: "The job directory.")
    var job: String

    @Option(help: "Only tasks of this style.")
    var style: String?

    @Option(help: "Only tasks whose last failure had this reason code.")
    var reason: String?

    func run() async throws {
        let job = try Job(directory: URL(fileURLWithPath: job))
        let styleIndex = try style.map { try job.style(named: $0).index }
        let me = WorkerIdentity.current()
        var total = 0
        var busy: [String] = []
        for shard in job.shards {
            // Only the shard's owner may write it: a shard a run is working is left alone.
            let requeued = try await job.manifest.whileOwning(shard: shard.id, worker: me) {
                try await Blocking.run { [reason] in
                    try job.openShard(shard).requeueDead(style: styleIndex, reason: reason)
                }
            }
            guard let requeued else {
                busy.append(shard.file)
                continue
            }
            total += requeued
        }
        print("requeued \(total) dead task\(total == 1 ? "" : "s")")
        if !busy.isEmpty {
            print(
                "skipped \(busy.count) shard(s) a run is working (\(busy.joined(separator: ", "))): retry again when it is done"
            )
        }
    }
}
