import CDeflate
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The integrity header of a finished part: a CRC-32 of the whole file,
/// written by the writer after HDF5 closed it and checked by the reader
/// before libhdf5 parses a byte of it.
///
/// libhdf5 trusts the lengths and addresses it finds in a file: damaged
/// metadata or string heaps make it read out of bounds (SIGSEGV), loop, or
/// return wrong values without an error. No check after the fact can catch
/// that, so a part is verified whole first and libhdf5 only ever sees bytes
/// the writer produced. The header lives in HDF5's user block (the first
/// `headerBytes` of the file, which HDF5 and h5py skip), so the file stays a
/// plain HDF5 file. Layout (docs/formats.md, "Integrity header"):
/// `magic` (16 bytes), the file's length (UInt64 LE), the CRC-32 (zlib's, as
/// Python's `zlib.crc32`) of every byte after the header (UInt32 LE), zeros.
enum PartFileSeal {
    static let headerBytes = 512
    static let magic = Array("forewarn-part-1\n".utf8)
    static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// What `verify` found.
    enum Kind: Equatable {
        /// The header is intact and the file matches its checksum.
        case sealed
        /// A plain HDF5 file with no header: a part written before parts were sealed.
        case unsealed
    }

    /// Which file was verified, as it was then: a later open of the same
    /// part (the listing, then the read, of one command) skips the checksum
    /// while none of these changed, so a part is read whole once, not twice.
    struct Identity: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int64
        var changed: Int64
    }

    static func verify(_ url: URL) throws -> Kind { try verify(url, unlessStill: nil).kind }

    /// Checks `url` against its header, unless it is still the file `verified`
    /// (then it is taken as sealed). Any mismatch (length, checksum, a damaged
    /// header) is `corruptPart` with the reason; a file that is neither sealed
    /// nor plain HDF5 is corrupt too.
    static func verify(_ url: URL, unlessStill verified: Identity?) throws -> (kind: Kind, identity: Identity) {
        let file = try SealFile(url, writable: false)
        defer { file.close() }
        let identity = try file.identity()
        if let verified, verified == identity { return (.sealed, identity) }
        return (try check(file, url, size: Int(identity.size)), identity)
    }

    private static func check(_ file: SealFile, _ url: URL, size: Int) throws -> Kind {
        var head = [UInt8](repeating: 0, count: headerBytes)
        let got = try file.read(into: &head, at: 0)
        if got >= hdf5Signature.count, head.prefix(hdf5Signature.count).elementsEqual(hdf5Signature) { return .unsealed }
        guard got == headerBytes, head.prefix(magic.count).elementsEqual(magic) else {
            throw corrupt(url, "it starts with neither the part header nor the HDF5 signature (\(size) bytes)")
        }
        let length = head.loadLittleEndian(UInt64.self, at: 16)
        let stored = head.loadLittleEndian(UInt32.self, at: 24)
        guard head[28...].allSatisfy({ $0 == 0 }) else { throw corrupt(url, "its header is damaged") }
        guard length == UInt64(size) else {
            throw corrupt(url, "it is \(size) bytes long but was written as \(length) bytes (truncated or extended)")
        }
        let computed = try file.checksum(from: headerBytes)
        guard computed == stored else {
            throw corrupt(
                url,
                "checksum mismatch: its bytes changed after it was written (crc32 \(hex(computed)), "
                    + "the header recorded \(hex(stored)))")
        }
        return .sealed
    }

    /// Writes the header of a closed part created with a `headerBytes` user
    /// block. Returns false, writing nothing, for a file without one (an
    /// in-progress part begun by a writer from before seals, which repair
    /// publishes unsealed).
    @discardableResult
    static func seal(_ url: URL) throws -> Bool {
        let file = try SealFile(url, writable: true)
        defer { file.close() }
        var head = [UInt8](repeating: 0, count: headerBytes + hdf5Signature.count)
        guard try file.read(into: &head, at: 0) == head.count, head[headerBytes...].elementsEqual(hdf5Signature),
            head.prefix(magic.count).allSatisfy({ $0 == 0 }) || head.prefix(magic.count).elementsEqual(magic)
        else { return false }
        let size = try file.size()
        let crc = try file.checksum(from: headerBytes)
        var header = [UInt8](repeating: 0, count: headerBytes)
        header.replaceSubrange(0..<magic.count, with: magic)
        header.storeLittleEndian(UInt64(size), at: 16)
        header.storeLittleEndian(crc, at: 24)
        try file.write(header, at: 0)
        return true
    }

    private static func corrupt(_ url: URL, _ reason: String) -> ArchiveError { .corruptPart(url: url, reason: reason) }
    private static func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16).leftPadded(to: 8) }
}

/// The POSIX file steps of sealing and verifying, each failure an `ArchiveError.fileSystem`.
private struct SealFile {
    let url: URL
    let fd: Int32

    init(_ url: URL, writable: Bool) throws {
        self.url = url
        fd = open(url.path, writable ? O_RDWR : O_RDONLY)
        guard fd >= 0 else { throw Self.failure(url, "open") }
    }

    func close() { _ = SealFile.systemClose(fd) }

    func size() throws -> Int { Int(try status().st_size) }

    func identity() throws -> PartFileSeal.Identity {
        let s = try status()
        #if canImport(Darwin)
            let (modified, changed) = (s.st_mtimespec, s.st_ctimespec)
        #else
            let (modified, changed) = (s.st_mtim, s.st_ctim)
        #endif
        func ns(_ t: timespec) -> Int64 { Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec) }
        return .init(
            device: UInt64(s.st_dev), inode: UInt64(s.st_ino), size: Int64(s.st_size), modified: ns(modified),
            changed: ns(changed))
    }

    private func status() throws -> stat {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.failure(url, "stat") }
        return info
    }

    /// Reads up to `buffer.count` bytes at `offset`; fewer only at the end of the file.
    func read(into buffer: inout [UInt8], at offset: Int) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(offset + done)) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw Self.failure(url, "read") }
            if n == 0 { break }
            done += n
        }
        return done
    }

    func write(_ bytes: [UInt8], at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, $0.count - done, off_t(offset + done)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw Self.failure(url, "write") }
            done += n
        }
    }

    /// CRC-32 of every byte from `offset` to the end, read in blocks of up to 1 MiB
    /// (libdeflate's is vectorised: several GB/s, far above the reader's needs).
    func checksum(from offset: Int) throws -> UInt32 {
        var block = [UInt8](repeating: 0, count: min(1 << 20, max(1, try size() - offset)))
        var crc: UInt32 = 0
        var position = offset
        while true {
            let n = try read(into: &block, at: position)
            if n == 0 { return crc }
            crc = block.withUnsafeBytes { libdeflate_crc32(crc, $0.baseAddress, n) }
            position += n
        }
    }

    private static func systemClose(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
            Glibc.close(fd)
        #else
            Darwin.close(fd)
        #endif
    }

    private static func failure(_ url: URL, _ step: String) -> ArchiveError {
        .fileSystem(url: url, reason: "\(step) failed: \(String(cString: strerror(errno)))")
    }
}

extension [UInt8] {
    fileprivate func loadLittleEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        (0..<MemoryLayout<T>.size).reduce(T.zero) { $0 | T(self[offset + $1]) << ($1 * 8) }
    }

    fileprivate mutating func storeLittleEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for i in 0..<MemoryLayout<T>.size { self[offset + i] = UInt8(truncatingIfNeeded: value >> (i * 8)) }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
