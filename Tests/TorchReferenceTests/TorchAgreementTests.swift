import CLIP
import Foundation
import Tensor
import TestSupport
import Testing

/// laclip's training step against the same model written in PyTorch
/// (`scripts/torch_clip_reference.py`): laclip trains two steps and dumps its inputs, losses,
/// raw gradients and parameters; the script replays them and checks loss, every gradient and
/// the parameters after AdamW within float32 tolerances it states (and prints).
@Suite(.serialized, .enabled(if: TorchVenv.unavailableReason == nil, "\(TorchVenv.unavailableReason ?? "")"))
struct TorchAgreementTests {
    @Test(arguments: ["tiny", "small"])
    func trainingStepsMatchPyTorch(preset: String) throws {
        // One thread: OpenBLAS's results depend on the count, and the test should not either.
        ComputeThreads.set(1)
        let folder = try TemporaryDirectory("laclip-torch-\(preset)")
        // The trainer's defaults (betas, ε, weight decay, clipping at norm 1) with a warm-up
        // learning rate and then the peak, so the second step tests AdamW's moments.
        let options = TrainOptions(trainCSV: folder.path("unused.csv"), outputDirectory: folder.url)
        try StepDump(folder: folder.url).write(
            preset: preset, batchSize: 8, seed: 17,
            learningRates: [options.learningRate / 2, options.learningRate], options: options)
        let output = try ProcessRunner.run(TorchVenv.python, [TorchVenv.script.path, "compare", folder.url.path])
        // The script's summary lines (stderr) are the numbers worth seeing in the test log.
        print(output.stderr)
        #expect(output.status == 0, "PyTorch disagrees with laclip:\n\(output)")
    }
}
