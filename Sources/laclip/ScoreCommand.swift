import ArgumentParser
import Fidelity
import Foundation
import RewriteQueue

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "(Re)score a job's stored rewrites for fidelity in place, without regenerating them.",
        discussion: """
            Jobs made before laclip scored rewrites get their scores this way; `laclip status` then \
            shows them and `laclip export --min-fidelity` can use them. Scorer: lexical (the share of \
            the caption's content words a rewrite keeps; see the README's fidelity section). A shard a \
            run is working is skipped (its new rewrites are scored as they are made): score again when \
            the run is done.
            """)

    @Option(help: "The job directory.")
    var job: String

    func run() throws {
        let job = try Job(directory: URL(fileURLWithPath: job))
        let scorer = LexicalFidelity()
        let me = WorkerIdentity.current()
        var total = 0
        var busy: [String] = []
        let started = Date()
        for shard in job.shards {
            // Only the shard's owner may write it.
            guard try job.manifest.acquire(shard: shard.id, worker: me, ttlMillis: 60_000) else {
                busy.append(shard.file)
                continue
            }
            defer { try? job.manifest.releaseOwnership(worker: me, shard: shard.id) }
            total += try job.openShard(shard).rescore(scorer: LexicalFidelity.name) { scorer.score(caption: $0, rewrite: $1) }
        }
        print("scored \(total) rewrite\(total == 1 ? "" : "s") (\(LexicalFidelity.name)) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        if !busy.isEmpty {
            print("skipped \(busy.count) shard(s) a run is working (\(busy.joined(separator: ", "))): score again when it is done")
            throw ExitCode(1)
        }
    }
}
