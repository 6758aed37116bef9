import Basics
import Foundation

/// Reads a file in large chunks and hands out one record at a time as a range of
/// its byte buffer, so parsers work on bytes and nothing is copied per line.
///
/// A record ends at a newline (a `\r` before it is dropped). With `quoteAware`
/// (CSV) a newline inside a double-quoted cell does not end the record; quote
/// parity is enough for RFC 4180 because an escaped quote is two quotes.
struct RecordReader {
    enum Record {
        /// `bytes` indexes `buffer`; valid until the next call to `next()`.
        case bytes(line: Int, Range<Int>)
        /// The record exceeded `maxBytes`; its bytes were skipped up to the next newline.
        case tooLong(line: Int)
        /// The file ended inside a quoted CSV cell.
        case unterminated(line: Int)
    }

    static let chunkSize = 4 << 20

    private(set) var buffer: [UInt8]
    private let handle: FileHandle
    private let path: String
    private let quoteAware: Bool
    private let maxBytes: Int
    /// Hears the bytes read from the file so far, once per chunk.
    private let progress: (any ProgressReporter)?
    private var bytesRead = 0
    private var head = 0, tail = 0
    private var eof = false, startedFile = false
    /// The line the next record starts on.
    private var line = 1
    /// Scan state of the pending record, kept across refills so no byte is scanned twice.
    private var scanned = 0, inQuotes = false, innerNewlines = 0

    init(path: String, quoteAware: Bool, maxBytes: Int, progress: (any ProgressReporter)? = nil) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportFileError(path: path, message: "no such file")
        }
        guard !isDirectory.boolValue else { throw ImportFileError(path: path, message: "is a directory, not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportFileError(path: path, message: "cannot open the file for reading (check its permissions)")
        }
        self.handle = handle
        self.path = path
        self.quoteAware = quoteAware
        self.maxBytes = max(1, maxBytes)
        self.progress = progress
        buffer = [UInt8](repeating: 0, count: Self.chunkSize)
    }

    /// The next record, or nil at the end of the file.
    mutating func next() throws -> Record? {
        while true {
            if let end = scanForEnd() {
                let first = line
                line += 1 + innerNewlines
                var stop = end
                if stop > head, buffer[stop - 1] == 13 { stop -= 1 }
                let range = head..<stop
                head = end + 1
                resetScan()
                return range.count > maxBytes ? .tooLong(line: first) : .bytes(line: first, range)
            }
            if eof {
                guard head < tail else { return nil }
                let first = line, range = head..<tail, open = inQuotes
                line += 1 + innerNewlines
                head = tail
                resetScan()
                if range.count > maxBytes { return .tooLong(line: first) }
                return open ? .unterminated(line: first) : .bytes(line: first, range)
            }
            if tail - head > maxBytes {
                let first = line
                try skipPastNewline()
                line += 1 + innerNewlines
                resetScan()
                return .tooLong(line: first)
            }
            try refill()
        }
    }

    private mutating func resetScan() {
        scanned = 0
        inQuotes = false
        innerNewlines = 0
    }

    /// Index of the newline ending the pending record, if it is in the buffer.
    private mutating func scanForEnd() -> Int? {
        let from = head + scanned
        guard from < tail else { return nil }
        return buffer.withUnsafeBufferPointer { b -> Int? in
            if !quoteAware {
                guard let base = b.baseAddress, let hit = memchr(base + from, 10, tail - from) else {
                    scanned = tail - head
                    return nil
                }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            var i = from
            while i < tail {
                let c = b[i]
                if c == 34 {
                    inQuotes.toggle()
                } else if c == 10 {
                    if !inQuotes { return i }
                    innerNewlines += 1
                }
                i += 1
            }
            scanned = tail - head
            return nil
        }
    }

    /// Drops the over-long pending record: everything up to and including the next newline.
    private mutating func skipPastNewline() throws {
        head = tail
        while true {
            if head == tail {
                if eof { return }
                try refill()
                continue
            }
            let found = buffer.withUnsafeBufferPointer { b -> Int? in
                guard let base = b.baseAddress, let hit = memchr(base + head, 10, tail - head) else { return nil }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            if let found {
                head = found + 1
                return
            }
            head = tail
        }
    }

    /// Moves the pending bytes to the front, grows the buffer if it is full, and reads a chunk.
    private mutating func refill() throws {
        if head > 0 {
            let pending = tail - head
            if pending > 0 {
                buffer.withUnsafeMutableBufferPointer { b in
                    guard let base = b.baseAddress else { return }
                    memmove(base, base + head, pending)
                }
            }
            head = 0
            tail = pending
        }
        if buffer.count - tail < Self.chunkSize / 2 {
            buffer.append(contentsOf: repeatElement(0, count: max(buffer.count, Self.chunkSize)))
        }
        let data: Data?
        do {
            data = try handle.read(upToCount: buffer.count - tail)
        } catch {
            throw ImportFileError(path: path, message: "read failed: \(error.localizedDescription)")
        }
        guard let data, !data.isEmpty else {
            eof = true
            try? handle.close()
            return
        }
        buffer.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress else { return }
            data.copyBytes(to: base + tail, count: data.count)
        }
        tail += data.count
        bytesRead += data.count
        progress?.update(bytesRead)
        if !startedFile {
            startedFile = true
            // A UTF-8 byte order mark (common in spreadsheet exports) is not part of the header.
            if tail >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { head = 3 }
        }
    }
}
