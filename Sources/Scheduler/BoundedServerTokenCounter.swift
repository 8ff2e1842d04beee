import Inference
import Prompting

/// Counts prompt tokens with the serving model's tokenizer, but only when it matters: the byte
/// estimate errs high, so a prompt it puts within the budget is within it for real, and only
/// prompts near or over the budget cost a `/tokenize` call.
struct BoundedServerTokenCounter: TokenCounter {
    let client: any CompletionClient
    let budget: Int

    var isExact: Bool { true }

    func countTokens(_ text: String) async throws -> Int {
        let estimate = ByteEstimateTokenCounter.estimate(text)
        if estimate <= budget { return estimate }
        do {
            return try await client.countTokens(text)
        } catch let error as InferenceError where error.kind == .unsupported {
            return estimate
        }
    }
}
