import CLIPEval
import Foundation
import TestSupport
import Testing

/// `laclip experiment --quick` as a user runs it: the real binary, rewrites from the real
/// llama-server serving SmolLM2-135M, five training runs, evaluation and the report.
@Suite("laclip experiment --quick against the real llama-server", .serialized)
struct QuickExperimentTests {
    @Test func rewritesTrainsEveryArmAndResumesWithoutRewritingAgain() throws {
        let server = try LlamaServerProcess(slots: 4)
        defer { server.stop() }
        let dir = try TemporaryDirectory("laclip-experiment")
        let out = dir.path("out")
        // Two of the four styles: the rewriting is nearly all of this test's time.
        let first = try Laclip.run([
            "experiment", "--out", out.path, "--quick", "--styles", "chatgpt,bard", "--server", server.url,
        ])
        #expect(first.status == 0, "\(first)")
        #expect(
            first.stdout.contains(
                "| metric | CLIP | LaCLIP | LaCLIP, faithful rewrites | LaCLIP, fidelity-guarded | LaCLIP, template rewrites |"
            ), "\(first.stdout)")

        let status = try Laclip.run(["status", "--job", out.appendingPathComponent("job").path, "--json"])
        let totals =
            try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])["totals"]
            as? [String: Int]
        // Every task settled; SmolLM2 occasionally leaves one dead after three empty answers.
        let done = totals?["done"] ?? 0, dead = totals?["dead"] ?? 0
        #expect(done + dead == 64 && dead <= 2, "\(status.stdout)")
        for arm in ["clip", "laclip", "laclip-faithful", "laclip-guarded", "laclip-template"] {
            let report = try JSONDecoder().decode(
                EvaluationReport.self, from: Data(contentsOf: out.appendingPathComponent("\(arm)-eval.json")))
            #expect(report.zeroShot.imageCount == 200 && report.zeroShot.classCount == 40, "\(arm)")
            #expect(
                report.retrieval != nil && report.linearProbe != nil && report.fewShot != nil,
                "\(arm): \(report.skipped)")
        }
        let results = try String(contentsOf: out.appendingPathComponent("results.md"), encoding: .utf8)
        for style in ["chatgpt", "bard"] {
            #expect(results.contains("| \(style) | "), "no rewrite row for \(style)")
        }
        // The rewrites are scored as they are made: the report shows each style's distribution.
        #expect(results.contains("fidelity median"), "\(results)")
        #expect(!results.contains("| – | – |"), "a style without fidelity figures: \(results)")

        // The job is finished, so a resumed experiment needs no server at all: port 9 refuses.
        let resumed = try Laclip.run([
            "experiment", "--out", out.path, "--quick", "--styles", "chatgpt,bard", "--resume", "--steps", "4",
            "--server", "http://127.0.0.1:9",
        ])
        #expect(resumed.status == 0, "\(resumed)")
        #expect(resumed.stdout.contains("steps (4)"))
        let checkpoints = try FileManager.default.contentsOfDirectory(
            atPath: out.appendingPathComponent("laclip/checkpoints").path)
        #expect(checkpoints.sorted().last == "checkpoint-0000004.bin", "\(checkpoints)")
    }
}
