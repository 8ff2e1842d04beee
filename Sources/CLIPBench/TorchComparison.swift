import CLIP
import Foundation
import Seeding
import Tensor

// laclip against PyTorch eager on the same machine in the same run: a full training step
// (forward, backward, clipping, AdamW, logit-scale clamp) of each preset at batch 32 and 64
// on 1 and 2 threads, timed by each side's own clock around the step. The PyTorch side is
// scripts/torch_clip_reference.py bench (the model the agreement test checks against laclip),
// run in the venv scripts/torch-env.sh makes; without it the PyTorch column says why it is
// empty.

/// Where the PyTorch reference lives: `LACLIP_PY_TORCH`, else the cache path torch-env.sh
/// installs into (its TORCH_VERSION is the number in the folder name).
enum TorchReference {
    static var python: URL {
        let environment = ProcessInfo.processInfo.environment
        if let override = environment["LACLIP_PY_TORCH"] { return URL(fileURLWithPath: override) }
        let cache =
            environment["LACLIP_CACHE"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/laclip").path
        return URL(fileURLWithPath: cache).appendingPathComponent("venv-torch-1/bin/python")
    }

    /// The checkout this bench was built from (the script is not installed anywhere else).
    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/torch_clip_reference.py")
    }

    static var unavailableReason: String? {
        if !FileManager.default.isExecutableFile(atPath: python.path) {
            return "no PyTorch venv at \(python.path) (make torch-env, or set LACLIP_PY_TORCH)"
        }
        if !FileManager.default.fileExists(atPath: script.path) { return "no \(script.path)" }
        return nil
    }

    /// Median milliseconds per step, or the reason there is none.
    static func stepMilliseconds(preset: String, batch: Int, threads: Int, steps: Int) -> Result<Double, BenchError> {
        let process = Process()
        process.executableURL = python
        process.arguments = [
            script.path, "bench", "--preset", preset, "--batch", "\(batch)", "--threads", "\(threads)",
            "--steps", "\(steps)", "--warmup", "2",
        ]
        var environment = ProcessInfo.processInfo.environment
        // torch.set_num_threads sets the intra-op pool; these keep MKL and OpenMP from starting
        // pools of their own size before it runs.
        for name in ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"] { environment[name] = "\(threads)" }
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch {
            return .failure(BenchError(description: "could not start \(python.path): \(error)"))
        }
        // Read before waiting: a full pipe would block the child.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
            let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let milliseconds = json["median_ms"] as? Double
        else {
            return .failure(
                BenchError(
                    description: "reference bench failed (exit \(process.terminationStatus)): \(errorText.suffix(300))")
            )
        }
        return .success(milliseconds)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
}

/// Median milliseconds of laclip's training step, with the same inputs as the PyTorch bench
/// builds (random normal images, captions of random length with start and end tokens).
@MainActor func laclipStepMilliseconds(_ c: CLIPConfiguration, batch: Int, threads: Int, steps: Int) throws -> Double {
    ComputeThreads.set(threads)
    let model = try CLIPModel(configuration: c, seed: 1)
    let optimizer = AdamW(
        parameters: model.parameters, configuration: AdamWConfiguration(epsilon: 1e-8, weightDecay: 0.5))
    var generator = SeededGenerator(seed: 2)
    let images = ImageBatch(
        count: batch, resolution: c.imageResolution,
        pixels: (0..<(batch * 3 * c.imageResolution * c.imageResolution)).map { _ in generator.nextNormal() })
    let tokens = TokenBatch(
        encoded: (0..<batch).map { _ in
            let length = 4 + Int(generator.next() % UInt64(c.contextLength - 4))
            return [Int32(c.vocabularySize - 2)] + (0..<(length - 2)).map { _ in Int32(generator.next() % 500) } + [
                Int32(c.vocabularySize - 1)
            ]
        }, contextLength: c.contextLength)
    let tape = Tape()
    var times: [Double] = []
    // Two warm-up steps, as on the PyTorch side: the first fills the tape's arena.
    for index in 0..<(steps + 2) {
        let start = now()
        _ = model.computeGradients(images: images, tokens: tokens, tape: tape)
        model.applyGradients(optimizer: optimizer, learningRate: 1e-4, maxGradientNorm: 1)
        if index >= 2 { times.append(now() - start) }
    }
    return 1000 * times.sorted()[times.count / 2]
}

/// The side-by-side table. Each row runs laclip then PyTorch back to back so both see the same
/// machine load.
@MainActor func compareWithTorch(steps: Int) throws {
    let skipped = TorchReference.unavailableReason
    if let skipped { print("PyTorch column SKIPPED: \(skipped)") }
    print("training step, laclip vs PyTorch eager (median of \(steps) steps after 2 warm-up; ratio = laclip / PyTorch)")
    let headers = ["preset", "batch", "threads", "laclip ms", "PyTorch ms", "ratio", "laclip img/s", "PyTorch img/s"]
    let columnWidths = headers.map(\.count)
    print(headers.joined(separator: "  "))
    for (name, configuration) in [("tiny", CLIPConfiguration.tiny), ("small", .small)] {
        for batch in [32, 64] {
            for threads in [1, 2] {
                let ours = try laclipStepMilliseconds(configuration, batch: batch, threads: threads, steps: steps)
                var theirs = "-", ratio = "-", theirRate = "-"
                if skipped == nil {
                    switch TorchReference.stepMilliseconds(preset: name, batch: batch, threads: threads, steps: steps) {
                    case .success(let ms):
                        theirs = String(format: "%.1f", ms)
                        ratio = String(format: "%.2f×", ours / ms)
                        theirRate = String(format: "%.0f", Double(batch) / ms * 1000)
                    case .failure(let error):
                        print("PyTorch \(name) batch \(batch) threads \(threads): \(error)")
                    }
                }
                let cells = [
                    name, "\(batch)", "\(threads)", String(format: "%.1f", ours), theirs, ratio,
                    String(format: "%.0f", Double(batch) / ours * 1000), theirRate,
                ]
                print(
                    zip(cells, columnWidths).map { cell, width in
                        String(repeating: " ", count: max(0, width - cell.count)) + cell
                    }.joined(separator: "  "))
            }
        }
    }
}
