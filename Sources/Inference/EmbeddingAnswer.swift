/// The OpenAI `/v1/embeddings` answer: one entry per input, each naming the input it embeds
/// (`index`), which servers are not bound to return in input order.
struct EmbeddingAnswer: Decodable {
    struct Entry: Decodable {
        var index: Int?
        var embedding: [Float]
    }
    struct Usage: Decodable {
        var prompt_tokens: Int?
    }
    var model: String?
    var data: [Entry]
    var usage: Usage?

    /// The entries' vectors in input order, refusing an answer that does not embed each of the
    /// `count` inputs exactly once in vectors of one length.
    func vectors(count: Int, endpoint: String, path: String) throws -> [[Float]] {
        func malformed(_ why: String) -> InferenceError {
            InferenceError(kind: .malformedResponse, endpoint: endpoint, detail: "\(path): \(why)")
        }
        guard data.count == count else { throw malformed("\(data.count) embeddings for \(count) inputs") }
        var vectors = [[Float]?](repeating: nil, count: count)
        for (position, entry) in data.enumerated() {
            // No index at all: the entries are in input order (as OpenAI's own answers are).
            let index = entry.index ?? position
            guard (0..<count).contains(index), vectors[index] == nil else {
                throw malformed("index \(index) out of range or repeated")
            }
            guard !entry.embedding.isEmpty else { throw malformed("empty embedding for input \(index)") }
            vectors[index] = entry.embedding
        }
        let result = vectors.map { $0! }
        guard result.allSatisfy({ $0.count == result[0].count }) else {
            throw malformed("embeddings of different lengths")
        }
        return result
    }
}
