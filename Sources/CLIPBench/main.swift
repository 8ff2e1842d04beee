import CLIP
import CLIPData
import Foundation
import Seeding
import Synth
import Tensor

// Training-step throughput of the tiny and small presets on random inputs (so decoding is not
// measured here; the loader runs on its own thread during training), the data pipeline's own
// decode+crop rate on synthetic PNGs, the share of step time spent in matrix products, and
// peak RSS; then the side-by-side table against PyTorch (TorchComparison.swift).
// Usage: clip-bench [--threads N] [--batch B] [--seconds S] [--compare-steps N] [--compare-only]

var threads = 1, batchSize = 64, seconds = 6.0, compareSteps = 8, compareOnly = false
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--threads": threads = Int(arguments.next() ?? "") ?? threads
    case "--batch": batchSize = Int(arguments.next() ?? "") ?? batchSize
    case "--seconds": seconds = Double(arguments.next() ?? "") ?? seconds
    case "--compare-steps": compareSteps = max(1, Int(arguments.next() ?? "") ?? compareSteps)
    case "--compare-only": compareOnly = true
    default: print("unknown argument \(argument)"); exit(2)
    }
}
ComputeThreads.set(threads)

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Every sgemm of one training step (forward and backward), as (m, n, k, count), derived
/// from the model's shapes; timing them alone on the same thread count estimates the time
/// the step spends in matrix products.
func stepProducts(_ c: CLIPConfiguration, batch b: Int) -> [(m: Int, n: Int, k: Int, count: Int)] {
    var products: [(Int, Int, Int, Int)] = []
    func linear(rows: Int, out: Int, in inFeatures: Int, inputNeedsGradient: Bool = true) {
        products.append((rows, out, inFeatures, 1)) // forward
        if inputNeedsGradient { products.append((rows, inFeatures, out, 1)) } // dX
        products.append((out, inFeatures, rows, 1)) // dW
    }
    func tower(tokens t: Int, width w: Int, depth: Int, heads: Int) {
        let rows = b * t, d = w / heads
        for _ in 0..<depth {
            linear(rows: rows, out: 3 * w, in: w)
            linear(rows: rows, out: w, in: w)
            linear(rows: rows, out: 4 * w, in: w)
            linear(rows: rows, out: w, in: 4 * w)
            // Attention per sequence and head: QKᵀ, PV forward; dP, dV, dQ, dK backward.
            products.append((t, t, d, 2 * b * heads))
            products.append((t, d, t, 4 * b * heads))
        }
    }
    linear(rows: b * c.patchCount, out: c.visionWidth, in: c.patchValues, inputNeedsGradient: false)
    tower(tokens: c.patchCount + 1, width: c.visionWidth, depth: c.visionDepth, heads: c.visionHeads)
    linear(rows: b, out: c.embedDimension, in: c.visionWidth)
    tower(tokens: c.contextLength, width: c.textWidth, depth: c.textDepth, heads: c.textHeads)
    linear(rows: b, out: c.embedDimension, in: c.textWidth)
    products.append((b, b, c.embedDimension, 3))
    return products.map { (m: $0.0, n: $0.1, k: $0.2, count: $0.3) }
}

@MainActor func timeProducts(_ products: [(m: Int, n: Int, k: Int, count: Int)], repeats: Int) -> Double {
    let largest = products.map { max($0.m * $0.k, $0.k * $0.n, $0.m * $0.n) }.max()!
    // The step's own product routine, so a large product is split over the threads as in training
    // (attention's per-head products run one per thread there; here each is split or not by size).
    let a = UnsafeMutablePointer<Float>.allocate(capacity: largest),
        bb = UnsafeMutablePointer<Float>.allocate(capacity: largest)
    let c = UnsafeMutablePointer<Float>.allocate(capacity: largest)
    defer { a.deallocate(); bb.deallocate(); c.deallocate() }
    a.initialize(repeating: 0.01, count: largest)
    bb.initialize(repeating: 0.02, count: largest)
    c.initialize(repeating: 0, count: largest)
    let start = now()
    for _ in 0..<repeats {
        for p in products {
            for _ in 0..<p.count {
                sgemm(
                    transposeA: false, transposeB: false, m: p.m, n: p.n, k: p.k,
                    a: a, lda: p.k, b: bb, ldb: p.n, beta: 1, c: c, ldc: p.n)
            }
        }
    }
    return (now() - start) / Double(repeats)
}

@MainActor func benchmark(name: String, configuration c: CLIPConfiguration) throws {
    let model = try CLIPModel(configuration: c, seed: 1)
    let optimizer = AdamW(
        parameters: model.parameters, configuration: AdamWConfiguration(epsilon: 1e-8, weightDecay: 0.5))
    var generator = SeededGenerator(seed: 2)
    let images = ImageBatch(
        count: batchSize, resolution: c.imageResolution,
        pixels: (0..<(batchSize * 3 * c.imageResolution * c.imageResolution)).map { _ in generator.nextNormal() })
    var tokens: [[Int32]] = []
    for _ in 0..<batchSize {
        let length = 4 + Int(generator.next() % UInt64(c.contextLength - 4))
        tokens.append(
            [Int32(c.vocabularySize - 2)] + (0..<(length - 2)).map { _ in Int32(generator.next() % 500) } + [
                Int32(c.vocabularySize - 1)
            ])
    }
    let tokenBatch = TokenBatch(encoded: tokens, contextLength: c.contextLength)
    let tape = Tape()
    func step() {
        tape.reset()
        zeroGradients(model.parameters)
        let loss = model.loss(images: images, tokens: tokenBatch, tape: tape)
        tape.backward(loss)
        clipGradientNorm(model.parameters, maxNorm: 1)
        optimizer.update(learningRate: 1e-4)
        model.clampLogitScale()
    }
    step() // warm-up: fills the arena
    var steps = 0
    let start = now()
    while now() - start < seconds || steps < 3 { step(); steps += 1 }
    let perStep = (now() - start) / Double(steps)
    let products = stepProducts(c, batch: batchSize)
    let flops = products.reduce(0.0) { $0 + 2 * Double($1.m * $1.n * $1.k * $1.count) }
    let matmulTime = timeProducts(products, repeats: max(3, Int(1 / perStep)))
    print(
        String(
            format:
                "%@: %.2fM params, batch %d, %d thread(s): %.2f steps/s, %.1f images/s, %.1f ms/step; matrix products ≈ %.0f%% of the step (%.2f GFLOP/step, %.1f GFLOP/s in sgemm)",
            name, Double(model.parameterCount) / 1e6, batchSize, threads, 1 / perStep, Double(batchSize) / perStep,
            perStep * 1000,
            100 * matmulTime / perStep, flops / 1e9, flops / 1e9 / matmulTime))
}

@MainActor func benchmarkLoader() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("clip-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = try Synth.generate(
        options: Synth.Options(count: 512, heldOutCount: 0, imageSize: 96, seed: 1, rewriteStyles: 4), into: folder)
    let dataset = try LaCLIPDataset(csv: data.trainCSV, rewrites: data.rewriteFiles)
    let tokenizer = try Tokenizer.learn(from: dataset.allTexts, vocabularySize: 1024)
    let builder = BatchBuilder(
        dataset: dataset, tokenizer: tokenizer, schedule: try BatchSchedule(sampleCount: 512, batchSize: 64, seed: 1),
        resolution: 64, contextLength: 48, augmentText: true)
    _ = try builder.batch(step: 0)
    let start = now()
    for step in 1...8 { _ = try builder.batch(step: step) }
    print(
        String(
            format:
                "loader (one thread): %.0f images/s decoded, random-resized-cropped to 64 px and tokenised (96 px PNGs)",
            512 / (now() - start)))
}

if !compareOnly {
    try benchmark(name: "tiny", configuration: .tiny)
    try benchmark(name: "small", configuration: .small)
    try benchmarkLoader()
}
try compareWithTorch(steps: compareSteps)
var usage = rusage()
getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
print(String(format: "peak RSS %.0f MB", Double(usage.ru_maxrss) / 1024))
