import Foundation
import RewriteQueue
import TestSupport
import Testing

/// `laclip score` on a job whose rewrites predate scoring, then `export --min-fidelity`.
@Suite struct FidelityExportTests {
    static let captions = ["one black cat", "two dogs", "three birds"]
    /// Per (caption, style): chatgpt keeps the content, bard drifts (lexical 0) except on caption 2.
    static let rewrites: [Int64: [String]] = [
        0: ["A black cat sitting alone.", "A red car parked outside."], // 2/3 and 0
        1: ["Two small dogs playing.", "A bowl of soup."], // 1 and 0
        2: ["Three birds on a wire.", "Birds flying over three hills."], // 1 and 1
    ]

    func unscoredFixture() throws -> ExportFixture {
        let fixture = try ExportFixture(captions: Self.captions, styles: ["chatgpt", "bard"], shardSize: 2)
        let job = try Job(directory: fixture.job)
        for shard in job.shards {
            let queue = try job.openShard(shard)
            let claimed = try queue.claim(limit: 100, owner: "fixture", leaseMillis: 600_000)
            // Stored as a run before scoring existed would have: no score.
            try queue.complete(
                claimed.map {
                    TaskResult(
                        task: $0, text: Self.rewrites[$0.id.caption]![$0.id.style], model: "m", seed: 1,
                        promptTokens: 1,
                        completionTokens: 1, latencyMs: 1, finishReason: "stop")
                }, worker: "fixture")
        }
        return fixture
    }

    @Test func exportRefusesUnscoredRewritesUntilScoreScoresThemInPlace() throws {
        let fixture = try unscoredFixture()
        let out = fixture.directory.path("rows.jsonl")
        let refused = try fixture.export(["--format", "jsonl", "--out", out.path, "--min-fidelity", "0.5"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("6 of 6 rewrites have no fidelity score"), "\(refused)")
        #expect(refused.stderr.contains("laclip score --job"), "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: out.path))

        let scored = try ProcessRunner.run(RepositoryPaths.laclip, ["score", "--job", fixture.job.path])
        #expect(scored.status == 0, "\(scored)")
        #expect(scored.stdout.contains("scored 6 rewrites (lexical)"), "\(scored)")
        // Idempotent: scoring again gives the same scores and counters.
        let again = try ProcessRunner.run(RepositoryPaths.laclip, ["score", "--job", fixture.job.path])
        #expect(again.status == 0, "\(again)")

        let status = try ProcessRunner.run(RepositoryPaths.laclip, ["status", "--job", fixture.job.path, "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let byStyle = Dictionary(
            uniqueKeysWithValues: try #require(report["fidelity"] as? [[String: Any]]).map {
                ($0["style"] as! String, $0)
            })
        #expect(byStyle["chatgpt"]?["scored"] as? Int == 3)
        #expect(byStyle["chatgpt"]?["median"] as? Double == 1)
        #expect(byStyle["chatgpt"]?["p10"] as? Double == 0.66)
        #expect(byStyle["bard"]?["median"] as? Double == 0)
        #expect(byStyle["bard"]?["below_threshold"] as? Int == 0, "no run threshold: nothing is marked")

        let result = try fixture.export(["--format", "jsonl", "--out", out.path, "--min-fidelity", "0.5"])
        #expect(result.status == 0, "\(result)")
        #expect(
            result.stdout.contains("2 rewrites scoring under --min-fidelity written as the original caption"),
            "\(result)")
        let rows = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(rows.count == 3)
        let rewrites = rows.map { $0["rewrites"] as! [String: String] }
        #expect(rewrites[0] == ["chatgpt": "A black cat sitting alone.", "bard": "one black cat"])
        #expect(rewrites[1] == ["chatgpt": "Two small dogs playing.", "bard": "two dogs"])
        #expect(rewrites[2] == ["chatgpt": "Three birds on a wire.", "bard": "Birds flying over three hills."])
        let metadata = rows[0]["metadata"] as! [String: Any]
        #expect((metadata["chatgpt"] as? [String: Any])?["fidelity"] as? Double == 0.6667)
        #expect(metadata["bard"] is NSNull)
        #expect(rows[0]["filled_with_original"] as? [String] == ["bard"])
    }

    @Test func parquetCarriesTheScoreAndNullWhereTheOriginalStandsIn() throws {
        guard PythonReference.isAvailable else {
            Issue.record("SKIPPED: \(PythonReference.unavailableReason ?? "")")
            return
        }
        let fixture = try unscoredFixture()
        #expect(try ProcessRunner.run(RepositoryPaths.laclip, ["score", "--job", fixture.job.path]).status == 0)
        let out = fixture.directory.path("rows.parquet")
        let result = try fixture.export(["--format", "parquet", "--out", out.path, "--min-fidelity", "0.5"])
        #expect(result.status == 0, "\(result)")
        let json = try PythonReference.run(
            """
            import json, sys, pyarrow.parquet as pq
            t = pq.read_table(sys.argv[1])
            print(json.dumps({c: t.column(c).to_pylist() for c in ["bard", "chatgpt_fidelity", "bard_fidelity"]}))
            """, [out.path])
        let columns = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [Any]])
        #expect(columns["bard"] as? [String] == ["one black cat", "two dogs", "Birds flying over three hills."])
        let chatgpt = try #require(columns["chatgpt_fidelity"] as? [Double])
        #expect(abs(chatgpt[0] - 2.0 / 3) < 1e-6 && chatgpt[1] == 1 && chatgpt[2] == 1)
        #expect(columns["bard_fidelity"]?[0] is NSNull && columns["bard_fidelity"]?[1] is NSNull)
        #expect(columns["bard_fidelity"]?[2] as? Double == 1)
    }
}
