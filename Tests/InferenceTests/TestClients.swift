import AsyncHTTPClient
import Foundation
import Inference
import Logging

/// One pooled client for the whole test process, configured as production code configures it.
let testHTTPClient = InferenceClientFactory.makeHTTPClient()

func llamaCppClient(_ url: URL, timeout: Duration = .seconds(5), apiKey: APIKey? = nil,
                    logger: Logger = Logger(label: "inference-test")) -> LlamaCppCompletionClient {
    LlamaCppCompletionClient(configuration: ServerConfiguration(baseURL: url, api: .llamaCpp, apiKey: apiKey,
                                                                requestTimeout: timeout, probeTimeout: .seconds(2)),
                             httpClient: testHTTPClient, logger: logger)
}

func openAIClient(_ url: URL, timeout: Duration = .seconds(5), model: String? = nil,
                  logger: Logger = Logger(label: "inference-test")) -> OpenAICompletionsClient {
    OpenAICompletionsClient(configuration: ServerConfiguration(baseURL: url, api: .openAI, model: model,
                                                               requestTimeout: timeout, probeTimeout: .seconds(2)),
                            httpClient: testHTTPClient, logger: logger)
}

/// A free loopback port: bind to 0, read the port, close. Another process could take it in
/// between; on a test machine that race is rare enough.
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw DoubleError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw DoubleError("bind() failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw DoubleError("getsockname() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
