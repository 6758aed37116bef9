import Foundation
import Hummingbird
import NIOCore

/// What the scorer's HTTP listener answers (`MetricsServer`); every handler reads shared, locked state
/// (`ServeMetrics`, `LiveForecasts`, `LiveConsole`) and owns nothing.
struct ListenerRoutes: Sendable {
    let metrics: ServeMetrics
    let forecasts: LiveForecasts
    let console: LiveConsole

    static let notFound = "not found: try /, /metrics, /healthz, /readyz or /forecast\n"

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: NotFoundText())
        router.add(middleware: MetricsMiddleware())
        router.get("/metrics") { _, _ in text(metrics.render(), type: "text/plain; version=0.0.4") }
        router.get("/healthz") { _, _ in text("ok\n") }
        router.get("/readyz") { _, _ in
            let ready = metrics.gauge("forewarn_ready") == 1
            let reasons = metrics.notReadyReasons.map { "\($0)\n" }.joined()
            return text(ready ? "ready\n" : "not ready\n\(reasons)", status: ready ? .ok : .serviceUnavailable)
        }
        router.get("/forecast") { request, _ in
            let query = Self.query(request.uri.query ?? "")
            let answer = forecasts.answer(model: query["model"], series: query["series"], horizon: query["horizon"], coverage: query["coverage"])
            let r = answer.response(ownCoverage: query["coverage"] == nil)
            return text(r.body, status: HTTPResponse.Status(code: r.status), type: r.type)
        }
        for path in ["/", "/console"] {
            router.get(RouterPath(path)) { request, _ in
                text(ConsolePage.html(snapshot: console.snapshot(metrics: metrics), query: request.uri.query ?? ""), type: "text/html; charset=utf-8")
            }
        }
        router.get("/console/state") { _, _ in text(console.snapshot(metrics: metrics), type: "application/json") }
        router.get("/console/events") { request, _ in events(Self.query(request.uri.query ?? "")) }
        return router
    }

    /// Server-sent events: the console's snapshot now and then every second, until the client goes (the
    /// write fails) or the listener closes (the sleep is cancelled). A followed series is let go either way.
    private func events(_ query: [String: String]) -> Response {
        let watch = query["model"].flatMap { m in query["series"].map { LiveConsole.Watch(model: m, series: $0) } }
        let console = self.console, metrics = self.metrics
        let body = ResponseBody { writer in
            if let watch { console.follow(watch) }
            defer { if watch != nil { console.unfollow() } }
            while !Task.isCancelled {
                try await writer.write(ByteBuffer(string: "data: \(console.snapshot(metrics: metrics))\n\n"))
                try await Task.sleep(for: .seconds(1))
            }
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
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

private func text(_ body: String, status: HTTPResponse.Status = .ok, type: String = "text/plain") -> Response {
    Response(status: status, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
}

/// Unknown paths get a line naming the ones that exist instead of an empty 404.
private struct NotFoundText: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do { return try await next(request, context) } catch let error as HTTPError where error.status == .notFound {
            return text(ListenerRoutes.notFound, status: .notFound)
        }
    }
}
