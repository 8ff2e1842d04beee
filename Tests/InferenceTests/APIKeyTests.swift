import Foundation
import Inference
import Logging
import Testing

@Suite("API key handling")
struct APIKeyTests {
    static let secret = "sk-test-ZXQ9-very-secret-value"

    @Test func keyIsSentButNeverLoggedOrDescribed() async throws {
        let double = try FaultDouble()
        defer { double.stop() }
        let key = try APIKey(environmentVariable: "LACLIP_TEST_KEY", environment: ["LACLIP_TEST_KEY": Self.secret])
        let (logger, captured) = Logger.capturing()
        let client = llamaCppClient(double.url, apiKey: key, logger: logger)
        let pool = EndpointPool(clients: [client], logger: logger)

        // 401 whose body echoes the Authorization header, then a malformed body, then success.
        try await double.plan(completion: ["401"])
        let rejected = await #expect(throws: InferenceError.self) {
            _ = try await pool.complete(CompletionRequest(prompt: "x =>"), retry: .none)
        }
        try await double.plan(completion: ["malformed", "500", "ok"])
        let response = try await pool.complete(
            CompletionRequest(prompt: "x =>"), retry: .fixed(.milliseconds(10), maxAttempts: 4))
        #expect(response.attempts == 3)

        #expect(try await double.stats().authorization_seen >= 4)
        let rejectedText = "\(rejected.map { String(describing: $0) } ?? "")"
        #expect(rejectedText.contains("invalid api key"))
        #expect(!rejectedText.contains(Self.secret))
        #expect(!captured.lines.isEmpty)
        for line in captured.lines { #expect(!line.contains(Self.secret)) }
        #expect(!String(describing: key).contains(Self.secret))
        #expect(!String(reflecting: key).contains(Self.secret))
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains(Self.secret))
        #expect(String(describing: key).contains("LACLIP_TEST_KEY"))
    }

    @Test func missingVariableNamesTheVariableOnly() {
        let error = #expect(throws: InferenceError.self) {
            _ = try APIKey(environmentVariable: "NO_SUCH_KEY_VAR", environment: [:])
        }
        #expect(error?.kind == .configuration)
        #expect(error?.description.contains("NO_SUCH_KEY_VAR") == true)
    }

    @Test func credentialsInTheURLAreNotShown() throws {
        let configuration = try ServerConfiguration(url: "http://user:hunter2@127.0.0.1:9/v1/")
        #expect(!configuration.displayEndpoint.contains("hunter2"))
        #expect(configuration.displayEndpoint.contains("127.0.0.1:9"))
        let bad = #expect(throws: InferenceError.self) { _ = try ServerConfiguration(url: "ftp://u:hunter2@x") }
        #expect(bad?.description.contains("hunter2") == false)
    }
}
