import ArgumentParser
import Foundation
import Synth

struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract:
            "Write a procedural image-caption dataset (PNG scenes + terse web-style captions + a zero-shot label set).")

    @Option(help: "The folder to write.")
    var out: String

    @Option(help: "Training images.")
    var n: Int = 1000

    @Option(help: "Held-out images for evaluation (default: a fifth of --n).")
    var heldOut: Int?

    @Option(help: "Image side in pixels.")
    var imageSize: Int = 64

    @Option(help: "Seed: the same seed writes the same dataset.")
    var seed: UInt64 = 0

    func run() throws {
        let output = try Synth.generate(
            options: Synth.Options(count: n, heldOutCount: heldOut, imageSize: imageSize, seed: seed),
            into: URL(fileURLWithPath: out))
        _ = try Synth.writeHeldOutCaptions(
            options: Synth.Options(count: n, heldOutCount: heldOut, imageSize: imageSize, seed: seed),
            into: URL(fileURLWithPath: out))
        print("wrote \(n) training images and their captions: \(output.trainCSV.path)")
        print(
            "held-out set for zero-shot (\(output.classes.count) classes): \(output.heldOutCSV.path), \(output.classesFile.path)"
        )
        print("next: laclip enqueue \(output.trainCSV.path) --job JOB, laclip run, laclip export, laclip train")
    }
}
