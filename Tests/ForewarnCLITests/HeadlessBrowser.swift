import Foundation

/// Debian's headless Chromium, driven from the command line: the page as the browser parsed it, and a
/// screenshot with the share of its pixels in given colours (read back with Python's standard library).
enum HeadlessBrowser {
    static let executable = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// `make test` installs Chromium and sets FOREWARN_REQUIRE_BROWSER=1, so there a missing browser fails the
    /// browser tests instead of skipping them.
    static var enabled: Bool { executable != nil || ProcessInfo.processInfo.environment["FOREWARN_REQUIRE_BROWSER"] == "1" }

    static func run(_ arguments: [String]) throws -> String {
        guard let executable else { throw BrowserError("no Chromium: `make deps` installs Debian's chromium") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw BrowserError("chromium \(arguments) exited \(p.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// The document after the browser parsed and laid it out.
    static func dom(_ url: URL) throws -> String { try run(["--dump-dom", url.absoluteString]) }

    /// Saves a `width`×`height` screenshot of `url` to `png`.
    static func screenshot(_ url: URL, to png: URL, width: Int = 1000, height: Int = 2400) throws {
        _ = try run(["--window-size=\(width),\(height)", "--screenshot=\(png.path)", url.absoluteString])
        guard FileManager.default.fileExists(atPath: png.path) else { throw BrowserError("no screenshot at \(png.path)") }
    }

    /// How many pixels of `png` are within 12 per channel of each colour (hex, like `c0392b`).
    static func pixels(_ png: URL, colours: [String]) throws -> [String: Int] {
        let script = """
            import sys, zlib, struct, json
            data = open(sys.argv[1], 'rb').read()
            pos, idat, w, h, ctype = 8, b'', 0, 0, 0
            while pos < len(data):
                n, kind = struct.unpack('>I4s', data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
                if kind == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
                elif kind == b'IDAT': idat += body
            bpp = {2: 3, 6: 4}[ctype]; raw = zlib.decompress(idat); stride = w * bpp
            prev, rows, i = bytearray(stride), [], 0
            for _ in range(h):
                f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
                for x in range(stride):
                    a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
                    if f == 1: line[x] = (line[x] + a) & 255
                    elif f == 2: line[x] = (line[x] + b) & 255
                    elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
                    elif f == 4:
                        p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                        line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
                rows.append(bytes(line)); prev = line
            want = [(k, tuple(int(k[j:j + 2], 16) for j in (0, 2, 4))) for k in sys.argv[2:]]
            counts = {k: 0 for k, _ in want}
            for line in rows:
                for x in range(0, stride, bpp):
                    r, g, b = line[x], line[x + 1], line[x + 2]
                    for k, (R, G, B) in want:
                        if abs(r - R) <= 12 and abs(g - G) <= 12 and abs(b - B) <= 12: counts[k] += 1
            print(json.dumps(counts))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, png.path] + colours
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let counts = try JSONSerialization.jsonObject(with: data) as? [String: Int] else {
            throw BrowserError("could not read the pixels of \(png.path)")
        }
        return counts
    }
}

struct BrowserError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
