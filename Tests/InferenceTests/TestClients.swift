import AsyncHTTPClient
import Foundation
import Inference
import Logging

/// One pooled client for the whole test process, configured as production code configures it.
let testHTTPClient = InferenceClientFactory.makeHTTPClient()

func llamaCppClient(
    _ url: URL, timeout: Duration = .seconds(5), apiKey: APIKey? = nil,
    logger: Logger = Logger(label: "inference-test")
) -> LlamaCppCompletionClient {
    LlamaCppCompletionClient(
        configuration: ServerConfiguration(
            baseURL: url, api: .llamaCpp, apiKey: apiKey,
            requestTimeout: timeout, probeTimeout: .seconds(2)),
        httpClient: testHTTPClient, logger: logger)
}

func openAIClient(
    _ url: URL, timeout: Duration = .seconds(5), model: String? = nil,
    logger: Logger = Logger(label: "inference-test")
) -> OpenAICompletionsClient {
    OpenAICompletionsClient(
        configuration: ServerConfiguration(
            baseURL: url, api: .openAI, model: model,
            requestTimeout: timeout, probeTimeout: .seconds(2)),
        httpClient: testHTTPClient, logger: logger)
}
