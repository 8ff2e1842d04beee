// A child process for the queue's kill tests: it owns each shard of a job in turn and loops
// claim -> complete until nothing is left, appending every accepted task id to a log after its
// transaction commits. The test kills it with SIGKILL at random moments and restarts it.
import Foundation
import RewriteQueue

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: queue-crash-worker JOB_DIR LOG_FILE\n".utf8))
    exit(2)
}
let job = try Job(directory: URL(fileURLWithPath: arguments[1]))
let log = open(arguments[2], O_WRONLY | O_APPEND | O_CREAT, 0o644)
let me = WorkerIdentity.current()

for shard in job.shards {
    while try !job.manifest.acquire(shard: shard.id, worker: me, ttlMillis: 60_000) {
        usleep(50_000)
    }
    let queue = try job.openShard(shard)
    try queue.releaseAllLeases()
    while true {
        let batch = try queue.claim(limit: 8, owner: me.owner, leaseMillis: 60_000)
        if batch.isEmpty { break }
        // Stands in for the time a real worker waits on the model, so kills land mid-run.
        usleep(1_000)
        let results = batch.map {
            TaskResult(
                task: $0, text: "rewrite of \($0.caption)", model: "crash-test",
                seed: $0.id.rawValue, promptTokens: 1, completionTokens: 1, latencyMs: 0, finishReason: "stop")
        }
        let accepted = try queue.complete(results, worker: me.owner)
        let line =
            accepted.map { String($0.rawValue) }.sorted().joined(separator: "\n") + (accepted.isEmpty ? "" : "\n")
        _ = line.withCString { write(log, $0, strlen($0)) }
    }
    try job.manifest.releaseOwnership(worker: me, shard: shard.id)
}
print("drained")
