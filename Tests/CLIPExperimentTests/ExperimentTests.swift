import CLIP
import CLIPData
import CLIPEval
import Foundation
import TestSupport
import Testing

@testable import CLIPExperiment

/// The orchestration against a stand-in laclip: a shell script whose `enqueue` makes the real job
/// (the experiment reads its figures in process) and remembers the CSV, `run` does nothing and `export` writes the CSV plus one line-aligned rewrite file, so the test
/// needs neither an LLM server nor the export module. The real binary and server are exercised
/// by `QuickExperimentTests`.
@Suite("Experiment orchestration")
struct ExperimentTests {
    func fakeLaclip(in folder: URL, withExport: Bool) throws -> URL {
        let script = folder.appendingPathComponent("fake-laclip")
        let export =
            withExport
            ? """
              export)
                [ "$2" = "--help" ] && { echo "USAGE: laclip export --job <job> --format <format> --out <out>"; exit 0; }
                job="$3"; out="$7"
                src=$(cat "$job/source")
                cp "$src" "$out"
                # A "rewrite": the caption part of each row with a prefix (synth captions hold no newlines).
                sed -e 's/^[^,]*,//' -e 's/^/a rendered picture: /' "$src" > "${out%.csv}_fake.txt"
                ;;
            """ : ""
        let text = """
            #!/bin/bash
            case "$1" in
              enqueue) "\(RepositoryPaths.laclip.path)" "$@" >/dev/null || exit 1; echo "$2" > "$4/source"; echo "$@" >> "$4/calls" ;;
              run) echo "$@" >> "$3/calls" ;;
              score) echo "$@" >> "$3/calls" ;;
            \(export)
              *)
                # What ArgumentParser does for an unknown subcommand followed by --help.
                [ "$2" = "--help" ] && { printf 'USAGE: laclip <subcommand>\n\nSUBCOMMANDS:\n  enqueue\n  run\n'; exit 0; }
                echo "Error: Unknown option" >&2; exit 64 ;;
            esac
            """
        try Data(text.utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script
    }

    @Test func trainsEveryArmWritesTheReportAndResumes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("experiment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let options = ExperimentOptions(
            outputDirectory: out, laclipExecutable: try fakeLaclip(in: folder, withExport: true),
            server: "http://127.0.0.1:9", trainCount: 48, heldOutCount: 240, imageSize: 32,
            model: .tiny, batchSize: 16, steps: 6, evaluateEvery: 3, fewShotEpisodes: 20)
        var phases: [String] = []
        let result = try Experiment.run(options: options) { phases.append($0) }
        #expect(phases.contains("rewrite") && phases.contains("train laclip") && phases.contains("evaluate clip"))
        let calls = try String(contentsOf: out.appendingPathComponent("job/calls"), encoding: .utf8)
        #expect(calls.contains("--server http://127.0.0.1:9"))
        // The guarded arm scores the job (it may predate scoring), then exports through the guard.
        #expect(calls.contains("score --job"))
        for name in [
            "results.md", "loss.svg", "zero-shot.svg", "settings.json", "tokenizer.bpe", "clip-eval.json",
            "laclip-eval.json",
            "laclip-faithful-eval.json", "laclip-guarded-eval.json", "laclip-template-eval.json",
            "export-guarded/train.csv", "export-guarded/train_fake.txt", "export/train.csv", "export/train_fake.txt",
            "export-faithful/train_fake.txt", "data/rewrites/synthetic-4.txt",
            "clip/checkpoints/checkpoint-0000006.bin",
            "laclip/checkpoints/checkpoint-0000003.bin", "laclip-template/checkpoints/checkpoint-0000006.bin",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "missing \(name)")
        }
        #expect(
            result.markdown.contains("| zero-shot top-1 |")
                && result.markdown.contains("| fake | 100.0% | 100.0% | 0.0% |"))
        #expect(
            result.markdown.contains(
                "| metric | CLIP | LaCLIP | LaCLIP, faithful rewrites | LaCLIP, fidelity-guarded | LaCLIP, template rewrites |"
            ))
        // `run` did nothing: the real job's own figures say so.
        #expect(result.markdown.contains("The job: 0 rewrites done, 0 dead-lettered"))
        #expect(
            result.markdown.contains("| 3 |") && result.markdown.contains("| 6 |"),
            "zero-shot curve rows for steps 3 and 6")
        let settings = try JSONDecoder().decode(
            ExperimentOptions.self, from: Data(contentsOf: out.appendingPathComponent("settings.json")))
        #expect(settings == options)
        // Same seed, model, tokenizer and data order: the runs differ only in the captions they sample.
        let shared = try String(contentsOf: out.appendingPathComponent("tokenizer.bpe"), encoding: .utf8)
        for arm in ["clip", "laclip", "laclip-faithful", "laclip-guarded", "laclip-template"] {
            #expect(
                try String(contentsOf: out.appendingPathComponent("\(arm)/tokenizer.bpe"), encoding: .utf8) == shared,
                "\(arm)")
        }
        #expect(result.arms.map(\.name) == ["clip", "laclip", "laclip-faithful", "laclip-guarded", "laclip-template"])
        #expect(
            result.report("clip") != result.report("laclip")
                && result.report("clip") != result.report("laclip-template"))
        #expect(
            try String(contentsOf: result.zeroShotPlot, encoding: .utf8).components(separatedBy: "<polyline").count == 6
        )

        // --resume keeps the data and the job (no second enqueue), finishes the job, trains anew.
        var shorter = options
        shorter.steps = 3
        shorter.trainingSeed = 7
        #expect {
            try Experiment.run(options: shorter)
        } throws: { ($0 as? ExperimentError)?.description.contains("--resume") == true }
        let resumed = try Experiment.run(options: shorter, resume: true)
        let callsAfter = try String(contentsOf: out.appendingPathComponent("job/calls"), encoding: .utf8)
        #expect(callsAfter.components(separatedBy: "enqueue").count == 2, "one enqueue in \(callsAfter)")
        #expect(callsAfter.components(separatedBy: "run --job").count == 3, "a run per experiment in \(callsAfter)")
        #expect(resumed.markdown.contains("steps (3)") && resumed.markdown.contains("training seed (7)"))
        // A new training seed on the same data and rewrites: the runs are trained with it.
        let header = try Checkpoint.read(from: out.appendingPathComponent("laclip/checkpoints/checkpoint-0000003.bin"))
            .header
        #expect(header.seed == 7)
        #expect(
            !FileManager.default.fileExists(
                atPath: out.appendingPathComponent("clip/checkpoints/checkpoint-0000006.bin").path))
        var otherData = options
        otherData.trainCount = 40
        #expect {
            try Experiment.run(options: otherData, resume: true)
        } throws: { ($0 as? ExperimentError)?.description.contains("trainCount 48 → 40") == true }
    }

    @Test func faithfulRewritesBlankOnlyTheRewritesThatDropAConcept() throws {
        let folder = try TemporaryDirectory("faithful")
        let csv = folder.url.appendingPathComponent("train.csv")
        // The second row is no image: the loader skips it, but the rewrite files keep its line.
        try Data("a.png,red square on white\nnotes.txt,anything\nb.png,small blue ring\n".utf8).write(to: csv)
        let rewrites = folder.url.appendingPathComponent("train_chatgpt.txt")
        try Data("A red square sits on a white page.\nkept as it is\nA golden sunset over the sea.\n".utf8).write(
            to: rewrites)
        let written = try FaithfulRewrites.write(
            LaCLIPDataset(csv: csv, rewrites: [rewrites]), rewrites: [rewrites],
            into: folder.url.appendingPathComponent("faithful"))
        #expect(
            try String(contentsOf: written[0], encoding: .utf8)
                == "A red square sits on a white page.\nkept as it is\n\n")
    }

    @Test func stopsBeforeAnyWorkWhenLaclipCannotExport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("experiment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let options = ExperimentOptions.quick(
            outputDirectory: out, laclipExecutable: try fakeLaclip(in: folder, withExport: false),
            server: "http://127.0.0.1:9")
        #expect {
            try Experiment.run(options: options)
        } throws: { ($0 as? ExperimentError)?.description.contains("has no `export` subcommand") == true }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        // A folder with content is refused rather than mixed with a new run, and one without an
        // earlier run's settings cannot be resumed.
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: out.appendingPathComponent("old.txt"))
        var exporting = options
        exporting.laclipExecutable = try fakeLaclip(in: folder, withExport: true)
        #expect {
            try Experiment.run(options: exporting)
        } throws: { ($0 as? ExperimentError)?.description.contains("is not empty") == true }
        #expect {
            try Experiment.run(options: exporting, resume: true)
        } throws: { ($0 as? ExperimentError)?.description.contains("no readable settings.json") == true }
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("old.txt").path))
    }
}
