import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An in-process `/v1/embeddings` server that answers each request with the next planned
/// behaviour (`ok`, or a status such as `503`), then `ok`. Only for faults: the real path is
/// tested against the real llama-server. Its `ok` vectors are `[input.utf8.count, 1]`, listed
/// in reverse order with their indices, so a client that trusts the position is caught.
final class EmbeddingFaultDouble: @unchecked Sendable {
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let lock = NSLock()
    private var plan: [String]
    private var received: [[String]] = []
    private var channel: (any Channel)?
    private(set) var port = 0
    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    init(plan: [String]) async throws {
        self.plan = plan
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(EmbeddingDoubleHandler(double: self))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        self.channel = channel
        port = channel.localAddress?.port ?? 0
    }

    /// The `input` list of every request, in arrival order.
    var batches: [[String]] { lock.withLock { received } }

    func shutdown() async throws {
        try await channel?.close()
        try await group.shutdownGracefully()
    }

    /// Status and body for one request.
    func answer(_ body: Data) -> (HTTPResponseStatus, String) {
        let inputs = ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["input"] as? [String] ?? []
        let behaviour: String = lock.withLock {
            received.append(inputs)
            return plan.isEmpty ? "ok" : plan.removeFirst()
        }
        guard behaviour == "ok" else {
            let status = HTTPResponseStatus(statusCode: Int(behaviour) ?? 500)
            return (status, #"{"error":{"code":\#(status.code),"message":"planned \#(behaviour)"}}"#)
        }
        let entries = inputs.enumerated().reversed().map { index, text in
            #"{"object":"embedding","index":\#(index),"embedding":[\#(text.utf8.count),1]}"#
        }
        return (
            .ok,
            #"{"object":"list","model":"double","data":[\#(entries.joined(separator: ","))],"usage":{"prompt_tokens":\#(inputs.count)}}"#
        )
    }
}

final class EmbeddingDoubleHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let double: EmbeddingFaultDouble
    private var body = ByteBuffer()

    init(double: EmbeddingFaultDouble) { self.double = double }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            let (status, text) = double.answer(Data(body.readableBytesView))
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(text.utf8.count))
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
