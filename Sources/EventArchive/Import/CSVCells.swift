/// Splits one CSV record (RFC 4180) into cells, as byte ranges of the record.
///
/// Cells are kept as ranges, not strings, so a row costs no allocation until a
/// key or id is needed as text. Quotes only open a cell at its first byte; a
/// stray quote inside an unquoted cell is taken literally, as most writers expect.
struct CSVCells {
    struct Cell {
        /// The cell's content, without its surrounding quotes.
        var range: Range<Int>
        var quoted: Bool
        /// The content holds doubled quotes that stand for one quote each.
        var escapedQuotes: Bool
    }

    private(set) var cells: [Cell] = []

    var count: Int { cells.count }
    subscript(_ i: Int) -> Cell { cells[i] }

    /// Splits `b`; on a malformed quoted cell returns its 1-based column.
    mutating func split(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        cells.removeAll(keepingCapacity: true)
        let n = b.count
        var pos = 0
        while true {
            if pos < n, b[pos] == 34 {
                var j = pos + 1, escaped = false
                while true {
                    guard j < n else { return cells.count + 1 }
                    if b[j] == 34 {
                        if j + 1 < n, b[j + 1] == 34 {
                            escaped = true
                            j += 2
                            continue
                        }
                        break
                    }
                    j += 1
                }
                cells.append(Cell(range: (pos + 1)..<j, quoted: true, escapedQuotes: escaped))
                j += 1
                if j == n { return nil }
                guard b[j] == 44 else { return cells.count }
                pos = j + 1
            } else {
                var j = pos
                while j < n, b[j] != 44 { j += 1 }
                cells.append(Cell(range: pos..<j, quoted: false, escapedQuotes: false))
                if j == n { return nil }
                pos = j + 1
            }
        }
    }

    /// A cell's text, with doubled quotes undone (bytes that are not UTF-8 replaced).
    func text(_ cell: Cell, in b: UnsafeBufferPointer<UInt8>) -> String {
        withBytes(cell, in: b) { String(decoding: $0, as: UTF8.self) }
    }

    /// Runs `body` on a cell's bytes, with doubled quotes undone (copied only when there are any).
    func withBytes<T, E: Error>(
        _ cell: Cell, in b: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> T
    ) throws(E) -> T {
        let raw = UnsafeBufferPointer(rebasing: b[cell.range])
        guard cell.escapedQuotes else { return try body(raw) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            out.append(raw[i])
            i += raw[i] == 34 ? 2 : 1
        }
        return try out.withUnsafeBufferPointer { (p) throws(E) -> T in try body(p) }
    }
}
