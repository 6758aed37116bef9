import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The scorer's HTTP listener: `/metrics` (Prometheus text), `/healthz`
/// (the process is alive), `/readyz` (`forewarn_ready`: 200, or 503 with the raised problems, one a line)
/// `/forecast?model=NAME&series=KEY&horizon=1h[&coverage=0.8,0.95]` (JSON, from the live state), and the
/// console: `/` (a read-only page), `/console/state` (its data as JSON) and `/console/events` (that data as
/// server-sent events, one a second; `?model=NAME&series=KEY` follows a series while the stream is open).
public final class MetricsServer: Sendable {
    private let channel: Channel
    /// The address actually bound (port 0 picks a free one).
    public let port: Int

    public static func start(
        host: String, port: Int, metrics: ServeMetrics, forecasts: LiveForecasts = LiveForecasts(),
        console: LiveConsole = LiveConsole(), group: EventLoopGroup
    ) async throws -> MetricsServer {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(MetricsHandler(metrics: metrics, forecasts: forecasts, console: console))
                }
            }
            .bind(host: host, port: port).get()
        return MetricsServer(channel: channel, port: channel.localAddress?.port ?? port)
    }

    private init(channel: Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    public func close() async throws { try await channel.close() }
}

/// Answers one request per message on the HTTP pipeline.
final class MetricsHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let metrics: ServeMetrics
    let forecasts: LiveForecasts
    let console: LiveConsole

    init(metrics: ServeMetrics, forecasts: LiveForecasts, console: LiveConsole) {
        self.metrics = metrics
        self.forecasts = forecasts
        self.console = console
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let request) = unwrapInboundIn(data) else { return }
        let (status, body, type): (HTTPResponseStatus, String, String)
        let parts = request.uri.split(separator: "?", maxSplits: 1).map(String.init)
        let queryText = parts.count > 1 ? parts[1] : ""
        switch parts.first ?? "" {
        case "/console/events":
            stream(context: context, request: request, query: Self.query(queryText))
            return
        case "/", "/console":
            (status, body, type) = (.ok, ConsolePage.html(snapshot: console.snapshot(metrics: metrics), query: queryText), "text/html; charset=utf-8")
        case "/console/state": (status, body, type) = (.ok, console.snapshot(metrics: metrics), "application/json")
        case "/forecast":
            let query = Self.query(parts.count > 1 ? parts[1] : "")
            let answer = forecasts.answer(model: query["model"], series: query["series"], horizon: query["horizon"], coverage: query["coverage"])
            let r = answer.response(ownCoverage: query["coverage"] == nil)
            (status, body, type) = (HTTPResponseStatus(statusCode: r.status), r.body, r.type)
        case "/metrics": (status, body, type) = (.ok, metrics.render(), "text/plain; version=0.0.4")
        case "/healthz": (status, body, type) = (.ok, "ok\n", "text/plain")
        case "/readyz":
            let ready = metrics.gauge("forewarn_ready") == 1
            let reasons = metrics.notReadyReasons.map { "\($0)\n" }.joined()
            (status, body, type) = (ready ? .ok : .serviceUnavailable, ready ? "ready\n" : "not ready\n\(reasons)", "text/plain")
        default: (status, body, type) = (.notFound, "not found: try /, /metrics, /healthz, /readyz or /forecast\n", "text/plain")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        let head = HTTPResponseHead(version: request.version, status: status, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Server-sent events: the console's snapshot now and then every second, until the client goes. The repeated
    /// task owns only Sendable values (the channel, the console, the metrics), so it needs no handler state.
    private func stream(context: ChannelHandlerContext, request: HTTPRequestHead, query: [String: String]) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/event-stream")
        headers.add(name: "Cache-Control", value: "no-cache")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .ok, headers: headers))), promise: nil)
        let watch = query["model"].flatMap { m in query["series"].map { LiveConsole.Watch(model: m, series: $0) } }
        let console = self.console, metrics = self.metrics, channel = context.channel
        if let watch { console.follow(watch) }
        @Sendable func event() -> HTTPServerResponsePart {
            .body(.byteBuffer(ByteBuffer(string: "data: \(console.snapshot(metrics: metrics))\n\n")))
        }
        context.writeAndFlush(wrapOutboundOut(event()), promise: nil)
        context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { task in
            guard channel.isActive else {
                task.cancel()
                if watch != nil { console.unfollow() }
                return
            }
            channel.writeAndFlush(event(), promise: nil)
        }
    }

    /// `a=1&b=x%20y` as a dictionary (percent-decoded; `+` is a space), the first value of a repeated key.
    static func query(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ") }
            guard let key = kv.first?.removingPercentEncoding, out[key] == nil else { continue }
            out[key] = kv.count > 1 ? (kv[1].removingPercentEncoding ?? kv[1]) : ""
        }
        return out
    }
}
