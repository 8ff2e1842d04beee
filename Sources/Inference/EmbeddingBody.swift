/// The OpenAI `/v1/embeddings` request as the servers spell it. `model` is omitted when nil
/// (llama.cpp and TEI serve one model); `encoding_format` is spelled out because OpenAI's own
/// clients default to base64, and a proxy in front of a server may follow them.
struct EmbeddingBody: Encodable {
    var model: String?
    var input: [String]
    var encoding_format = "float"
}
