import CLIPData
import Foundation
import Seeding
import Tensor

extension Synth {
    /// Writes `heldout-captions.csv` (`image_path,caption`, no header): one web-style caption per
    /// held-out image, for retrieval evaluation. The scenes are replayed from the held-out seeds,
    /// and the captions drawn from a stream of their own, so `generate`'s files are unchanged.
    @discardableResult
    public static func writeHeldOutCaptions(options: Options, into directory: URL) throws -> URL {
        var csv = ""
        for index in 0..<options.heldOutCount {
            var sceneGenerator = SeededGenerator(seed: mix(options.seed, 0x4E1D, UInt64(index)))
            let scene = SynthScene(generator: &sceneGenerator)
            var captionGenerator = SeededGenerator(seed: mix(options.seed, 0xCA97, UInt64(index)))
            let path = String(format: "images/heldout/%06d.png", index)
            csv += "\(path),\(csvField(SynthCaption.web(scene, generator: &captionGenerator)))\n"
        }
        let url = directory.appendingPathComponent("heldout-captions.csv")
        try Data(csv.utf8).write(to: url)
        return url
    }
}
