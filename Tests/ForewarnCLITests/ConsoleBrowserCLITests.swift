import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The scorer's console as an operator uses it: `forewarn serve` on the embedded cluster, a live day with one
/// injected anomaly, and the page at `/` in a real browser showing the incident with its explanation and the
/// followed series with its band and flags.
@Suite(.serialized, .enabled(if: HeadlessBrowser.enabled)) struct ConsoleBrowserCLITests {
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw BrowserError("cannot bind a port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Opens `/console/events?query` on `port` and leaves it open (a page that follows a series); close the
    /// returned descriptor to leave.
    static func follow(port: Int, query: String) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw BrowserError("cannot connect to port \(port)") }
        let request = Array("GET /console/events?\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        return fd
    }

    static func get(_ url: String) async throws -> String {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url)!)
        return String(decoding: data, as: UTF8.self)
    }

    @Test func theConsoleShowsTheIncidentAndTheFollowedSeriesLive() async throws {
        let s = try ServeCLITests.Setup()
        defer { s.dir.cleanup() }
        let port = try Self.freePort()
        let serve = try BackgroundProcess([
            "serve", "--config", try s.config(brokers: "embedded", extra: "metrics: 127.0.0.1:\(port)"),
        ])
        let first = try #require(serve.readLine())
        let bootstrap = String(first.dropFirst("kafka: embedded cluster at ".count))
        // The first half of the day streams in; then the second half, with one reading at 18:00 ten times its
        // usual value (the anomaly to find), while a page follows that meter.
        var live = s.live
        let half = try #require(live.firstIndex { $0.contains("T12:00:00") })
        let target = try #require(live.firstIndex { $0.contains("T18:00:00") })
        let meter = String(live[target].split(separator: "\"meter\":\"")[1].prefix { $0 != "\"" })
        live[target] = live[target].replacingOccurrences(of: #""kwh":([0-9.]+)"#, with: "\"kwh\":9.5", options: .regularExpression)
        let base = "http://127.0.0.1:\(port)"
        func state(until done: (String) -> Bool) async -> String {
            var text = ""
            for _ in 0..<160 {
                text = (try? await Self.get(base + "/console/state")) ?? ""
                if done(text) { break }
                try? await Task.sleep(for: .milliseconds(250))
            }
            return text
        }
        try await ServeCLITests.send(live[..<half], to: bootstrap)
        _ = await state { $0.contains("\"events_in\":\(half)") }

        // Another page already follows the meter (the browser's own stream would end with its screenshot).
        let query = "model=meters-forecast&series=\(meter)"
        let follower = try Self.follow(port: port, query: query)
        defer { close(follower) }
        _ = await state { $0.contains("\"watch\":{") }
        try await ServeCLITests.send(live[half...], to: bootstrap)
        let page = URL(string: base + "/?" + query)!
        try FileManager.default.createDirectory(at: ReportBrowserCLITests.screenshots, withIntermediateDirectories: true)
        let png = ReportBrowserCLITests.screenshots.appendingPathComponent("console.png")
        let text = await state { $0.contains("\"series\":\"\(meter)\"") && $0.contains("\"actual\":9.5") }
        #expect(text.contains("\"actual\":9.5"), "no incident of \(meter) at 9.5 in \(text.prefix(800))")
        _ = await state { $0.contains("\"events_in\":\(live.count)") }
        _ = try HeadlessBrowser.run(["--timeout=3000", "--window-size=1100,1300", "--screenshot=\(png.path)", page.absoluteString])
        // The followed chart: actual line, the forecaster's band, and the flagged reading as a red dot.
        let counts = try HeadlessBrowser.pixels(png, colours: ["222222", "cfe0f3", "c0392b", "1e7e34"])
        #expect(counts["cfe0f3", default: 0] > 1_000 && counts["c0392b", default: 0] > 15, "chart pixels: \(counts)")
        #expect(counts["1e7e34", default: 0] > 20, "the green 'ready': \(counts)")

        let dom = try HeadlessBrowser.run(["--timeout=3000", "--dump-dom", page.absoluteString])
        #expect(dom.contains("Latest incidents") && dom.contains("class=\"incident\""))
        #expect(dom.contains(">\(meter)</a>") && dom.contains("<td>9.5</td>"), "the incident row names the meter and its reading")
        #expect(dom.contains("meters-forecast v1") && dom.contains("<span class=\"ok\">ready</span>"))
        // The chart drew the followed meter's points with the flagged reading.
        #expect(dom.contains("class=\"flag\"") && dom.contains("class=\"band\""))
        // The follower's stream carried a snapshot a second, the latest with the incident.
        var streamed = [UInt8](repeating: 0, count: 1 << 20), got = 0
        var pollFd = pollfd(fd: follower, events: Int16(POLLIN), revents: 0)
        while got < streamed.count, poll(&pollFd, 1, 200) > 0 {
            let n = streamed.withUnsafeMutableBytes { recv(follower, $0.baseAddress! + got, $0.count - got, 0) }
            if n <= 0 { break }
            got += n
        }
        let events = String(decoding: streamed[..<got], as: UTF8.self)
        #expect(events.hasPrefix("HTTP/1.1 200") && events.contains("text/event-stream"))
        #expect(events.components(separatedBy: "data: {").count - 1 >= 3 && events.contains("\"actual\":9.5"))
        // /metrics is swift-prometheus's, fed through swift-metrics: the scorer's own names with their help,
        // and the listener's request metrics (Hummingbird's, from the process-wide bootstrap of `serve`).
        let scrape = try await Self.get(base + "/metrics")
        #expect(scrape.contains("# HELP forewarn_events_in_total Events consumed from Kafka\n"), "\(scrape.prefix(3000))")
        #expect(scrape.contains("\nforewarn_events_in_total \(live.count).0\n"), "\(scrape.prefix(3000))")
        #expect(scrape.contains("hb_requests{") && scrape.contains("/console/state"), "\(scrape.prefix(3000))")
        // Prometheus's own parser reads the scrape (promtool exits 1 on a parse error, 3 on naming lints only).
        let promtool = try ShippedJobsCLITests.executable(["/usr/bin/promtool", "/usr/local/bin/promtool"], install: "promtool (make deps)")
        let scraped = URL(fileURLWithPath: s.dir.path("metrics.txt"))
        try scrape.write(to: scraped, atomically: true, encoding: .utf8)
        let lint = try ShippedJobsCLITests.tool("/bin/sh", ["-c", "\(promtool) check metrics < \(scraped.path)"])
        #expect((lint.status == 0 || lint.status == 3) && !lint.output.contains("error while linting"), "promtool: \(lint.output)")
        let (status, log) = serve.terminate()
        #expect(status == 0, "\(log.suffix(2000))")
    }
}
