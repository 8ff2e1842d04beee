import CLIP
import CLIPEval
import Foundation
import Testing
@testable import CLIPExperiment

/// The orchestration against a stand-in laclip: a shell script whose `enqueue` remembers the CSV,
/// `run` does nothing and `export` writes the CSV plus one line-aligned rewrite file, so the test
/// needs neither an LLM server nor the export module. The real binary is exercised by
/// `laclip experiment --quick`.
@Suite("Experiment orchestration")
struct ExperimentTests {
    func fakeLaclip(in folder: URL, withExport: Bool) throws -> URL {
        let script = folder.appendingPathComponent("fake-laclip")
        let export = withExport ? """
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
              enqueue) mkdir -p "$4"; echo "$2" > "$4/source"; echo "$@" >> "$4/calls" ;;
              run) echo "$@" >> "$3/calls" ;;
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

    @Test func runsBothTrainingsAndWritesTheReport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("experiment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let options = ExperimentOptions(outputDirectory: out, laclipExecutable: try fakeLaclip(in: folder, withExport: true),
                                        server: "http://127.0.0.1:9", trainCount: 48, heldOutCount: 240, imageSize: 32,
                                        model: .tiny, batchSize: 16, steps: 6, evaluateEvery: 3, fewShotEpisodes: 20)
        var phases: [String] = []
        let result = try Experiment.run(options: options) { phases.append($0) }
        #expect(phases.contains("rewrite") && phases.contains("train laclip") && phases.contains("evaluate clip"))
        let calls = try String(contentsOf: out.appendingPathComponent("job/calls"), encoding: .utf8)
        #expect(calls.contains("--server http://127.0.0.1:9"))
        for name in ["results.md", "loss.svg", "zero-shot.svg", "settings.json", "clip-eval.json", "laclip-eval.json",
                     "export/train.csv", "export/train_fake.txt", "clip/checkpoints/checkpoint-0000006.bin", "laclip/checkpoints/checkpoint-0000003.bin"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "missing \(name)")
        }
        #expect(result.markdown.contains("| zero-shot top-1 |") && result.markdown.contains("| fake | 100.0% | 0.0% |"))
        #expect(result.markdown.contains("| 3 |") && result.markdown.contains("| 6 |"), "zero-shot curve rows for steps 3 and 6")
        let settings = try JSONDecoder().decode(ExperimentOptions.self, from: Data(contentsOf: out.appendingPathComponent("settings.json")))
        #expect(settings == options)
        // Same seed, model and data order: the runs differ only in the captions they sample.
        let clipTokenizer = try String(contentsOf: out.appendingPathComponent("clip/tokenizer.bpe"), encoding: .utf8)
        #expect(try clipTokenizer == String(contentsOf: out.appendingPathComponent("laclip/tokenizer.bpe"), encoding: .utf8))
        #expect(result.clip != result.laclip)
        #expect(try String(contentsOf: result.zeroShotPlot, encoding: .utf8).contains("<polyline"))
    }

    @Test func stopsBeforeAnyWorkWhenLaclipCannotExport() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("experiment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let options = ExperimentOptions.quick(outputDirectory: out, laclipExecutable: try fakeLaclip(in: folder, withExport: false), server: "http://127.0.0.1:9")
        #expect {
            try Experiment.run(options: options)
        } throws: { ($0 as? ExperimentError)?.description.contains("has no `export` subcommand") == true }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        // A folder with content is refused rather than mixed with a new run.
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: out.appendingPathComponent("old.txt"))
        #expect {
            try Experiment.run(options: options)
        } throws: { ($0 as? ExperimentError)?.description.contains("is not empty") == true }
    }
}
