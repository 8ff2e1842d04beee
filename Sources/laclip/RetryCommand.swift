import ArgumentParser
import Foundation
import RewriteQueue

struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Return dead-lettered tasks to the queue with a fresh attempt budget.")

    @Option(help: "The job directory.")
    var job: String

    @Option(help: "Only tasks of this style.")
    var style: String?

    @Option(help: "Only tasks whose last failure had this reason code.")
    var reason: String?

    func run() throws {
        let job = try Job(directory: URL(fileURLWithPath: job))
        let styleIndex = try style.map { try job.style(named: $0).index }
        let me = WorkerIdentity.current()
        var total = 0
        var busy: [String] = []
        for shard in job.shards {
            // Only the shard's owner may write it: a shard a run is working is left alone.
            guard try job.manifest.acquire(shard: shard.id, worker: me, ttlMillis: 60_000) else {
                busy.append(shard.file)
                continue
            }
            defer { try? job.manifest.releaseOwnership(worker: me, shard: shard.id) }
            total += try job.openShard(shard).requeueDead(style: styleIndex, reason: reason)
        }
        print("requeued \(total) dead task\(total == 1 ? "" : "s")")
        if !busy.isEmpty {
            print("skipped \(busy.count) shard(s) a run is working (\(busy.joined(separator: ", "))): retry again when it is done")
        }
    }
}
