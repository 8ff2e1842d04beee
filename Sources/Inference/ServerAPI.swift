/// Which HTTP API a server is spoken to with.
public enum ServerAPI: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// OpenAI-compatible `POST /v1/completions` (vLLM, llama.cpp's server, TGI, SGLang, Ollama).
    case openAI = "openai"
    /// llama.cpp's native `POST /completion`, which echoes the sampler settings it used.
    case llamaCpp = "llamacpp"
    /// Ask the server: llama.cpp's `/props` answers only on llama.cpp, so it gets the native API.
    case auto

    public var description: String { rawValue }
}
