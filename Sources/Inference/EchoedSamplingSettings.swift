/// The `generation_settings` llama.cpp's `/completion` returns: what the slot actually sampled
/// with after the server applied its defaults. Fields a server version lacks stay nil.
public struct EchoedSamplingSettings: Sendable, Hashable, Codable {
    public var nPredict: Int?
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var minP: Double?
    public var typicalP: Double?
    public var topNSigma: Double?
    public var repeatPenalty: Double?
    public var presencePenalty: Double?
    public var frequencyPenalty: Double?
    public var dryMultiplier: Double?
    public var xtcProbability: Double?
    public var dynatempRange: Double?
    public var mirostat: Int?
    public var adaptiveTarget: Double?
    public var seed: UInt64?
    public var samplers: [String]?
    public var stop: [String]?

    enum CodingKeys: String, CodingKey {
        case nPredict = "n_predict", temperature, topP = "top_p", topK = "top_k", minP = "min_p"
        case typicalP = "typical_p", topNSigma = "top_n_sigma", repeatPenalty = "repeat_penalty"
        case presencePenalty = "presence_penalty", frequencyPenalty = "frequency_penalty"
        case dryMultiplier = "dry_multiplier", xtcProbability = "xtc_probability"
        case dynatempRange = "dynatemp_range", mirostat, adaptiveTarget = "adaptive_target", seed, samplers, stop
    }

    /// True when only temperature and top-p shape the distribution, as in the paper.
    /// Float tolerance because llama.cpp stores these as 32-bit floats.
    public func matchesPaper(
        temperature: Double = CompletionRequest.paperTemperature,
        topP: Double = CompletionRequest.paperTopP,
        maxTokens: Int = CompletionRequest.paperMaxTokens
    ) -> Bool {
        func near(_ value: Double?, _ expected: Double) -> Bool {
            guard let value else { return true }
            return abs(value - expected) < 1e-5
        }
        guard let echoedTemperature = self.temperature, let echoedTopP = self.topP,
            near(echoedTemperature, temperature), near(echoedTopP, topP),
            nPredict == maxTokens
        else { return false }
        let topKOff = topK.map { $0 <= 0 } ?? true
        let samplersOnlyPaper = samplers.map { Set($0).isSubset(of: ["temperature", "top_p"]) } ?? true
        return topKOff && samplersOnlyPaper && near(minP, 0) && near(typicalP, 1)
            && near(repeatPenalty, 1) && near(presencePenalty, 0) && near(frequencyPenalty, 0)
            && near(dryMultiplier, 0) && near(xtcProbability, 0) && near(dynatempRange, 0)
            && (mirostat ?? 0) == 0 && (topNSigma.map { $0 <= 0 } ?? true)
            && (adaptiveTarget.map { $0 < 0 } ?? true)
    }
}
