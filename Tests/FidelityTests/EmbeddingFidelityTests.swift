import Fidelity
import Seeding
import Testing

@Suite("the embedding fidelity score (cosine)")
struct EmbeddingFidelityTests {
    let scorer = EmbeddingFidelity()

    @Test func identicalAndScaledVectorsScoreOne() {
        let v: [Float] = [0.3, -1.2, 4.5, 0.01]
        #expect(abs(scorer.score(caption: v, rewrite: v) - 1) < 1e-12)
        // Cosine ignores length: a mean-pooled embedding of a longer text is not "more" similar.
        #expect(abs(scorer.score(caption: v, rewrite: v.map { $0 * 7 }) - 1) < 1e-9)
    }

    @Test func knownAnglesScoreTheirCosine() {
        #expect(abs(scorer.score(caption: [1, 0], rewrite: [1, 1]) - 0.5.squareRoot()) < 1e-9)
        #expect(
            abs(scorer.score(caption: [1, 2, 3], rewrite: [4, 5, 6]) - 32 / (14.0.squareRoot() * 77.0.squareRoot()))
                < 1e-9)
        #expect(scorer.score(caption: [1, 0], rewrite: [0, 1]) == 0)
    }

    @Test func negativeCosinesAndZeroVectorsClampToZero() {
        #expect(scorer.score(caption: [1, 0], rewrite: [-1, 0.1]) == 0)
        #expect(scorer.score(caption: [0, 0], rewrite: [1, 1]) == 0)
        #expect(scorer.score(caption: [1, 1], rewrite: [0, 0]) == 0)
    }

    @Test func roundingNeverLeavesTheUnitInterval() {
        // Float products summed in any order could give 1.0000001 for parallel vectors.
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let v = (0..<576).map { _ in Float(Double(generator.next() >> 11) * 0x1p-53 * 2 - 1) }
            let s = scorer.score(caption: v, rewrite: v.map { $0 * 3 })
            #expect((0...1).contains(s))
            #expect(s > 0.999999)
        }
    }

    @Test func theStoredNameCarriesTheModel() {
        #expect(EmbeddingFidelity.name(model: nil) == "embedding")
        #expect(EmbeddingFidelity.name(model: "") == "embedding")
        #expect(EmbeddingFidelity.name(model: "BAAI/bge-small-en-v1.5") == "embedding:BAAI/bge-small-en-v1.5")
        #expect(
            EmbeddingFidelity.name(model: "/models/SmolLM2-135M-Instruct.Q4_1.gguf")
                == "embedding:SmolLM2-135M-Instruct.Q4_1.gguf")
        #expect(EmbeddingFidelity.name(model: "models/tiny.gguf") == "embedding:tiny.gguf")
        #expect(EmbeddingFidelity.name(model: "nomic-embed-text") == "embedding:nomic-embed-text")
    }
}
