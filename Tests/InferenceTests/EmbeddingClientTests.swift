import Foundation
import Logging
import TestSupport
import Testing

@testable import Inference

/// The wire format, in process: what the client sends and how it reads an answer.
@Suite("embedding requests and answers")
struct EmbeddingWireTests {
    @Test func theBodyIsOpenAIsWithTheModelOnlyWhenThereIsOne() throws {
        let named = try jsonObject(EmbeddingBody(model: "bge", input: ["a dog", "a cat"]))
        #expect(named["model"] as? String == "bge")
        #expect(named["input"] as? [String] == ["a dog", "a cat"])
        #expect(named["encoding_format"] as? String == "float")
        let unnamed = try jsonObject(EmbeddingBody(model: nil, input: ["x"]))
        #expect(unnamed["model"] == nil)
        #expect(Set(unnamed.keys) == ["input", "encoding_format"])
    }

    @Test func entriesAreOrderedByTheirIndexNotTheirPosition() throws {
        let answer = try decode(
            #"{"data":[{"index":2,"embedding":[3,0]},{"index":0,"embedding":[1,0]},{"index":1,"embedding":[2,0]}]}"#)
        #expect(try answer.vectors(count: 3, endpoint: "e", path: "/v1/embeddings") == [[1, 0], [2, 0], [3, 0]])
        // Without indices (older servers), the position is the input.
        let plain = try decode(#"{"data":[{"embedding":[1]},{"embedding":[2]}]}"#)
        #expect(try plain.vectors(count: 2, endpoint: "e", path: "/v1/embeddings") == [[1], [2]])
    }

    @Test(arguments: [
        (#"{"data":[{"index":0,"embedding":[1]}]}"#, "1 embeddings for 2 inputs"),
        (#"{"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[2]}]}"#, "index 0 out of range or repeated"),
        (#"{"data":[{"index":0,"embedding":[1]},{"index":5,"embedding":[2]}]}"#, "index 5 out of range"),
        (#"{"data":[{"index":0,"embedding":[1]},{"index":1,"embedding":[]}]}"#, "empty embedding"),
        (#"{"data":[{"index":0,"embedding":[1]},{"index":1,"embedding":[2,3]}]}"#, "different lengths"),
    ])
    func answersThatDoNotEmbedEachInputOnceAreMalformed(body: String, why: String) throws {
        let error = try #require(throws: InferenceError.self) {
            try decode(body).vectors(count: 2, endpoint: "http://e", path: "/v1/embeddings")
        }
        #expect(error.kind == .malformedResponse)
        #expect(error.description.contains(why), "\(error)")
        #expect(error.description.contains("http://e"))
    }

    private func jsonObject(_ body: EmbeddingBody) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(body)) as? [String: Any])
    }

    private func decode(_ text: String) throws -> EmbeddingAnswer {
        try JSONDecoder().decode(EmbeddingAnswer.self, from: Data(text.utf8))
    }
}

/// Faults the real server will not make on request, from an in-process double.
@Suite("embedding faults")
struct EmbeddingFaultTests {
    func client(_ double: EmbeddingFaultDouble, batchSize: Int) -> EmbeddingClient {
        EmbeddingClient(
            configuration: ServerConfiguration(baseURL: double.url, api: .openAI, requestTimeout: .seconds(5)),
            httpClient: testHTTPClient, logger: Logger(label: "inference-test"), batchSize: batchSize)
    }

    @Test func aBatchThatGets503IsRetriedAndTheBatchesComeBackInInputOrder() async throws {
        let double = try await EmbeddingFaultDouble(plan: ["ok", "503", "ok", "ok"])
        let inputs = ["a", "bb", "ccc", "dddd", "eeeee"]
        let vectors = try await client(double, batchSize: 2).embed(
            inputs, retry: .fixed(.milliseconds(10), maxAttempts: 3))
        let batches = double.batches
        try await double.shutdown()
        #expect(vectors.map { $0[0] } == [1, 2, 3, 4, 5])
        // Batches of 2; the second one twice (503, then its retry).
        #expect(batches == [["a", "bb"], ["ccc", "dddd"], ["ccc", "dddd"], ["eeeee"]])
    }

    @Test func retriesStopAtTheStrategysLimitWithTheAttemptsCounted() async throws {
        let double = try await EmbeddingFaultDouble(plan: ["503", "500", "502"])
        let error = try await #require(throws: InferenceError.self) {
            try await client(double, batchSize: 8).embedBatch(["a"], retry: .fixed(.milliseconds(10), maxAttempts: 3))
        }
        let requests = double.batches.count
        try await double.shutdown()
        #expect(error.kind == .httpStatus(502))
        #expect(error.attempts == 3)
        #expect(requests == 3)
    }

    @Test func aClientErrorIsPermanentAndNamesTheServerAndStatus() async throws {
        let double = try await EmbeddingFaultDouble(plan: ["400"])
        let error = try await #require(throws: InferenceError.self) {
            try await client(double, batchSize: 8).embedBatch(["a"], retry: .fixed(.milliseconds(10), maxAttempts: 3))
        }
        let requests = double.batches.count
        try await double.shutdown()
        #expect(error.kind == .httpStatus(400))
        #expect(!error.isRetryable)
        #expect(requests == 1)
        #expect(error.description.contains(double.url.absoluteString.trimmingCharacters(in: ["/"])), "\(error)")
        #expect(error.description.contains("HTTP 400") && error.description.contains("/v1/embeddings"), "\(error)")
    }

    @Test func aServerWithoutEmbeddingsIsUnsupportedAtOnce() async throws {
        // llama-server started without --embeddings answers 501.
        let double = try await EmbeddingFaultDouble(plan: ["501"])
        let error = try await #require(throws: InferenceError.self) {
            try await client(double, batchSize: 8).embedBatch(["a"], retry: .fixed(.milliseconds(10), maxAttempts: 3))
        }
        let requests = double.batches.count
        try await double.shutdown()
        #expect(error.kind == .unsupported)
        #expect(requests == 1)
        #expect(error.description.contains("--embeddings"), "\(error)")
    }
}

/// The client against the real llama-server started with `--embeddings --pooling mean`.
@Suite("embeddings from the real llama-server", .serialized)
final class EmbeddingRealServerTests {
    let server: LlamaServerProcess

    // One slot: with two, this llama.cpp pools wrong vectors for sequences decoded together.
    init() throws { server = try LlamaServerProcess(slots: 1, extraArguments: ["--embeddings", "--pooling", "mean"]) }

    func connect() async throws -> EmbeddingClient {
        try await EmbeddingClient.connect(
            try ServerConfiguration(url: server.url, api: .openAI), httpClient: testHTTPClient,
            logger: Logger(label: "inference-test"), readinessTimeout: .seconds(60),
            retry: .fixed(.milliseconds(200), maxAttempts: 3))
    }

    @Test func connectNamesTheServedModel() async throws {
        let client = try await connect()
        #expect(client.model?.hasSuffix("SmolLM2-135M-Instruct.Q4_1.gguf") == true, "\(client.model ?? "nil")")
    }

    @Test func batchedVectorsAreEachInputsOwnInInputOrder() async throws {
        let connected = try await connect()
        let texts = [
            "a dog runs on the beach", "a red bus in the city", "two cups of coffee on a table",
            "a dog runs on the beach", "snow on the mountains at dawn", "a child flies a kite", "a plate of pasta",
        ]
        // Three requests (3 + 3 + 1 inputs).
        let batched = EmbeddingClient(
            configuration: ServerConfiguration(
                baseURL: URL(string: server.url)!, api: .openAI,
                model: connected.model),
            httpClient: testHTTPClient, logger: Logger(label: "inference-test"), batchSize: 3)
        let vectors = try await batched.embed(texts, retry: .none)
        #expect(vectors.count == texts.count)
        #expect(
            Set(vectors.map(\.count)).count == 1 && vectors[0].count > 100, "dimensions \(Set(vectors.map(\.count)))")
        var alone: [[Float]] = []
        for text in texts {
            let response = try await connected.embedBatch([text])
            #expect(response.vectors.count == 1)
            #expect(response.promptTokens > 0)
            alone.append(response.vectors[0])
        }
        for i in texts.indices {
            // The same text embedded alone or in a batch: the same vector, up to batching's rounding.
            #expect(cosine(vectors[i], alone[i]) > 0.999, "\(texts[i])")
            for j in texts.indices where texts[j] != texts[i] {
                #expect(
                    cosine(vectors[i], alone[j]) < cosine(vectors[i], alone[i]) - 0.001, "\(texts[i]) vs \(texts[j])")
            }
        }
        #expect(cosine(vectors[0], vectors[3]) > 0.999)
    }

    @Test func anEmptyInputIsRefusedAsTheServersClientError() async throws {
        let client = try await connect()
        let error = try await #require(throws: InferenceError.self) { try await client.embedBatch(["a dog", ""]) }
        #expect(error.kind == .httpStatus(400), "\(error)")
        #expect(!error.isRetryable)
        #expect(error.description.contains(server.url), "\(error)")
    }

    private func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in a.indices {
            dot += Double(a[i]) * Double(b[i])
            na += Double(a[i]) * Double(a[i])
            nb += Double(b[i]) * Double(b[i])
        }
        return dot / (na.squareRoot() * nb.squareRoot())
    }
}
