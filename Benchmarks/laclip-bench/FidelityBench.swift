import Fidelity
import Foundation

/// The lexical score's single-thread rate on caption/rewrite pairs shaped like real ones (a
/// short alt-text caption, a rewrite two to four times as long), both sides tokenised per pair
/// as `laclip score` does.
func runFidelityBench(pairs: Int = 1_000_000) {
    var generator = SystemRandomNumberGenerator()
    let nouns = [
        "dog", "cats", "beach", "rocks", "walking", "children", "city", "skyline", "red", "carpet", "festival",
        "mountains", "snow", "river", "bridge", "flowers", "garden", "tulips", "coffee", "latte", "art", "2019",
    ]
    let glue = ["a", "the", "of", "in", "on", "with", "and", "is", "at", "near"]
    func text(_ words: Int) -> String {
        (0..<words).map {
            $0 % 2 == 0 ? glue.randomElement(using: &generator)! : nouns.randomElement(using: &generator)!
        }
        .joined(separator: " ")
    }
    let samples = (0..<1000).map { _ in
        (text(Int.random(in: 4...12, using: &generator)), text(Int.random(in: 8...40, using: &generator)) + ".")
    }
    let scorer = LexicalFidelity()
    var sum = 0.0
    let started = DispatchTime.now().uptimeNanoseconds
    for i in 0..<pairs {
        let (caption, rewrite) = samples[i % samples.count]
        sum += scorer.score(caption: caption, rewrite: rewrite)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    line(
        "lexical fidelity, single thread",
        String(
            format: "%.2f M rewrites/s (%d pairs in %.2f s, mean %.3f)",
            Double(pairs) / seconds / 1e6, pairs, seconds, sum / Double(pairs)),
        "millions/s")
}
