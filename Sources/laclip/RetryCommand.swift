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
        var total = 0
        for shard in job.shards {
            total += try job.openShard(shard).requeueDead(style: styleIndex, reason: reason)
        }
        print("requeued \(total) dead task\(total == 1 ? "" : "s")")
    }
}
