// JSON bodies as the servers spell them. Internal: the public API is CompletionRequest/Response.

/// llama.cpp `/completion`. Every sampler besides temperature and top-p is set to its "off"
/// value, and `samplers` names only those two, temperature first: that is the order of the
/// LLaMA reference sampler (softmax(logits / T), then nucleus), of Hugging Face and of vLLM,
/// whereas llama.cpp's default chain applies top-p before temperature.
struct LlamaCppCompletionBody: Encodable {
    var prompt: String
    var n_predict: Int
    var temperature: Double
    var top_p: Double
    var seed: UInt32?
    var stop: [String]
    var cache_prompt: Bool
    var samplers = ["temperature", "top_p"]
    var top_k = 0
    var min_p = 0.0
    var typical_p = 1.0
    var top_n_sigma = -1.0
    var repeat_penalty = 1.0
    var repeat_last_n = 0
    var presence_penalty = 0.0
    var frequency_penalty = 0.0
    var dry_multiplier = 0.0
    var xtc_probability = 0.0
    var dynatemp_range = 0.0
    var mirostat = 0
    var adaptive_target = -1.0
    var n_probs = 0
    var min_keep = 0
    var stream = false

    init(_ request: CompletionRequest) {
        prompt = request.prompt
        n_predict = request.maxTokens
        temperature = request.temperature
        top_p = request.topP
        seed = request.seed
        stop = request.stop
        cache_prompt = request.cachePrompt
    }
}

struct LlamaCppCompletionAnswer: Decodable {
    struct Timings: Decodable {
        var prompt_n: Int?
        var predicted_n: Int?
        /// Prompt tokens reused from the slot's or the RAM prompt cache.
        var cache_n: Int?
    }
    var content: String
    var model: String?
    var tokens_predicted: Int?
    var tokens_evaluated: Int?
    var tokens_cached: Int?
    var stop_type: String?
    var stopped_eos: Bool?
    var stopped_word: Bool?
    var stopped_limit: Bool?
    var timings: Timings?
    var generation_settings: EchoedSamplingSettings?

    var finishReason: FinishReason {
        switch stop_type {
        case "eos", "word": return .stop
        case "limit": return .length
        case .some(let other): return FinishReason(rawValue: other)
        case nil:
            if stopped_limit == true { return .length }
            if stopped_eos == true || stopped_word == true { return .stop }
            return FinishReason(rawValue: "unknown")
        }
    }
}

/// OpenAI `/v1/completions`. The optional block is the llama.cpp and vLLM spelling of "sampler
/// off"; vLLM ignores the llama.cpp names and vice versa.
struct OpenAICompletionBody: Encodable {
    var model: String?
    var prompt: String
    var max_tokens: Int
    var temperature: Double
    var top_p: Double
    var seed: UInt32?
    var stop: [String]
    var n = 1
    var stream = false
    var presence_penalty = 0.0
    var frequency_penalty = 0.0
    // Shared by vLLM and llama.cpp: -1 means "no top-k" to both (llama.cpp: any k <= 0).
    var top_k: Int?
    var min_p: Double?
    // vLLM
    var repetition_penalty: Double?
    // llama.cpp
    var repeat_penalty: Double?
    var repeat_last_n: Int?
    var typical_p: Double?
    var top_n_sigma: Double?
    var dry_multiplier: Double?
    var xtc_probability: Double?
    var dynatemp_range: Double?
    var mirostat: Int?
    var adaptive_target: Double?
    var samplers: [String]?
    var cache_prompt: Bool?

    init(_ request: CompletionRequest, model: String?, extraSamplerFields: Bool) {
        self.model = model
        prompt = request.prompt
        max_tokens = request.maxTokens
        temperature = request.temperature
        top_p = request.topP
        seed = request.seed
        stop = request.stop
        guard extraSamplerFields else { return }
        top_k = -1
        min_p = 0
        repetition_penalty = 1
        repeat_penalty = 1
        repeat_last_n = 0
        typical_p = 1
        top_n_sigma = -1
        dry_multiplier = 0
        xtc_probability = 0
        dynatemp_range = 0
        mirostat = 0
        adaptive_target = -1
        samplers = ["temperature", "top_p"]
        cache_prompt = request.cachePrompt
    }
}

struct OpenAICompletionAnswer: Decodable {
    struct Choice: Decodable {
        var text: String
        var finish_reason: String?
    }
    struct Usage: Decodable {
        var prompt_tokens: Int?
        var completion_tokens: Int?
    }
    var model: String?
    var choices: [Choice]
    var usage: Usage?
}

struct OpenAIModelList: Decodable {
    struct Model: Decodable { var id: String }
    var data: [Model]
}

/// One entry of llama.cpp's `/slots`: only the count matters.
struct SlotEntry: Decodable {
    var id: Int?
}

struct LlamaCppProps: Decodable {
    var total_slots: Int?
    var default_generation_settings: EchoedSamplingSettingsContainer?
    var model_path: String?
}

/// Only its presence matters (it marks a llama.cpp server); its shape changed between versions.
struct EchoedSamplingSettingsContainer: Decodable {
    init(from decoder: any Decoder) throws {}
}

struct TokenizeBody: Encodable {
    // llama.cpp reads `content`/`add_special`; vLLM reads `prompt`/`add_special_tokens`.
    var content: String
    var prompt: String
    var add_special: Bool
    var add_special_tokens: Bool
    var model: String?
}

struct TokenizeAnswer: Decodable {
    var tokens: [TokenEntry]?
    var count: Int?

    /// llama.cpp returns ids, or `{id, piece}` objects when asked for pieces.
    struct TokenEntry: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}
