import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The scorer's HTTP listener, a Hummingbird application: `/metrics` (Prometheus text, `ServeMetrics`),
/// `/healthz` (the process is alive), `/readyz` (`forewarn_ready`: 200, or 503 with the raised problems,
/// one a line), `/forecast?model=NAME&series=KEY&horizon=1h[&coverage=0.8,0.95]` (JSON, from the live
/// state), and the console: `/` (a read-only page), `/console/state` (its data as JSON) and
/// `/console/events` (that data as server-sent events, one a second; `?model=NAME&series=KEY` follows a
/// series while the stream is open). Routes are `ListenerRoutes`.
public final class MetricsServer: Sendable {
    /// The address actually bound (port 0 picks a free one).
    public let port: Int
    private let running: Task<Void, any Error>

    /// Binds and starts serving; returns once the socket is bound, or throws the bind's error.
    public static func start(
        host: String, port: Int, metrics: ServeMetrics, forecasts: LiveForecasts = LiveForecasts(),
        console: LiveConsole = LiveConsole(), group: any EventLoopGroup
    ) async throws -> MetricsServer {
        var logger = Logger(label: "forewarn.http")
        logger.logLevel = .warning
        let router = ListenerRoutes(metrics: metrics, forecasts: forecasts, console: console).router()
        let (bound, boundSink) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil, reuseAddress: true),
            onServerRunning: { channel in
                boundSink.yield(channel.localAddress?.port ?? port)
                boundSink.finish()
            },
            eventLoopGroupProvider: .shared(group), logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let running = Task {
            defer { boundSink.finish() }
            try await services.run()
        }
        for await actual in bound { return MetricsServer(port: actual, running: running) }
        try await running.value  // never bound: the bind's error
        throw CancellationError()
    }

    private init(port: Int, running: Task<Void, any Error>) {
        self.port = port
        self.running = running
    }

    /// Stops listening and ends open requests, console streams included (they see the cancellation).
    public func close() async throws {
        running.cancel()
        _ = await running.result
    }
}
