import CQL

/// A recursive-descent parser for the statements the node supports.
struct Parser {
    private var tokens: [Token]
    private var i = 0
    private(set) var markerCount = 0
    let currentKeyspace: String?

    init(_ text: String, keyspace: String?) throws {
        tokens = try Lexer.tokens(text)
        currentKeyspace = keyspace
        while tokens.last == .symbol(";") { tokens.removeLast() }
    }

    static func parse(_ text: String, keyspace: String?) throws -> (Statement, markers: Int) {
        var p = try Parser(text, keyspace: keyspace)
        let s = try p.statement()
        guard p.i == p.tokens.count else { throw SyntaxError("unexpected \(p.describe(p.tokens[p.i])) at the end of the statement") }
        return (s, p.markerCount)
    }

    // MARK: - Statements

    mutating func statement() throws -> Statement {
        if accept("CREATE") {
            if accept("KEYSPACE") { return try createKeyspace() }
            if accept("TABLE") || accept("COLUMNFAMILY") { return try createTable() }
            throw SyntaxError("only CREATE KEYSPACE and CREATE TABLE are supported")
        }
        if accept("DROP") {
            if accept("KEYSPACE") { let e = try ifExists(); return .dropKeyspace(name: try name(), ifExists: e) }
            if accept("TABLE") { let e = try ifExists(); return .dropTable(try tableName(), ifExists: e) }
            throw SyntaxError("only DROP KEYSPACE and DROP TABLE are supported")
        }
        if accept("TRUNCATE") { _ = accept("TABLE"); return .truncate(try tableName()) }
        if accept("USE") { return .use(try name()) }
        if accept("INSERT") { return try insert() }
        if accept("SELECT") { return .select(try select()) }
        if accept("DELETE") {
            try expect("FROM")
            let t = try tableName()
            try expect("WHERE")
            return .delete(t, where: try relations())
        }
        throw SyntaxError("unsupported statement starting with \(i < tokens.count ? describe(tokens[i]) : "nothing")")
    }

    private mutating func createKeyspace() throws -> Statement {
        let ine = try ifNotExists()
        let ks = try name()
        try expect("WITH")
        var replication: [String: String] = [:]
        var durable = true
        repeat {
            let option = try name()
            try expectSymbol("=")
            switch option {
            case "replication":
                guard case .map(let entries) = try term() else { throw SyntaxError("replication must be a map") }
                for (k, v) in entries { replication[try literalText(k)] = try literalText(v) }
            case "durable_writes":
                durable = try literalText(try term()).lowercased() == "true"
            default: _ = try term()
            }
        } while accept("AND")
        guard replication["class"] != nil else { throw SyntaxError("replication needs a 'class'") }
        return .createKeyspace(name: ks, ifNotExists: ine, replication: replication, durableWrites: durable)
    }

    private mutating func createTable() throws -> Statement {
        let ine = try ifNotExists()
        let t = try tableName()
        guard let ks = t.keyspace ?? currentKeyspace else { throw InvalidRequest("no keyspace has been specified") }
        var def = TableDef(keyspace: ks, name: t.table, columns: [], partitionKey: [], clustering: [])
        try expectSymbol("(")
        repeat {
            if accept("PRIMARY") {
                try expect("KEY")
                try expectSymbol("(")
                if acceptSymbol("(") {
                    def.partitionKey = try nameList()
                    try expectSymbol(")")
                } else {
                    def.partitionKey = [try name()]
                }
                while acceptSymbol(",") { def.clustering.append(try name()) }
                try expectSymbol(")")
            } else {
                let column = try name()
                let type = try typeName()
                def.columns.append((column, type))
                if accept("PRIMARY") { try expect("KEY"); def.partitionKey = [column] }
                if accept("STATIC") { throw SyntaxError("static columns are not supported") }
            }
        } while acceptSymbol(",")
        try expectSymbol(")")
        if accept("WITH") { try tableOptions(&def) }
        guard !def.partitionKey.isEmpty else { throw InvalidRequest("no PRIMARY KEY specified for table \(def.name)") }
        for key in def.partitionKey + def.clustering where def.type(of: key) == nil {
            throw InvalidRequest("unknown definition \(key) referenced in PRIMARY KEY")
        }
        return .createTable(def, ifNotExists: ine)
    }

    private mutating func tableOptions(_ def: inout TableDef) throws {
        repeat {
            if accept("CLUSTERING") {
                try expect("ORDER"); try expect("BY"); try expectSymbol("(")
                repeat {
                    let c = try name()
                    if accept("DESC") { def.descending.insert(c) } else { _ = accept("ASC") }
                } while acceptSymbol(",")
                try expectSymbol(")")
            } else if accept("COMPACT") {
                try expect("STORAGE")
            } else {
                _ = try name()
                try expectSymbol("=")
                _ = try term()
            }
        } while accept("AND")
    }

    private mutating func insert() throws -> Statement {
        try expect("INTO")
        let t = try tableName()
        try expectSymbol("(")
        let columns = try nameList()
        try expectSymbol(")")
        try expect("VALUES")
        try expectSymbol("(")
        var values: [Term] = []
        repeat { values.append(try term()) } while acceptSymbol(",")
        try expectSymbol(")")
        guard values.count == columns.count else { throw InvalidRequest("unmatched column names/values") }
        if accept("IF") { throw InvalidRequest("conditional (IF NOT EXISTS) inserts are not supported by the test node") }
        if accept("USING") {
            repeat { _ = try name(); _ = try term() } while accept("AND")
        }
        return .insert(t, columns: columns, values: values)
    }

    private mutating func select() throws -> Select {
        if accept("JSON") { throw SyntaxError("SELECT JSON is not supported") }
        _ = accept("DISTINCT")
        let selection: Select.Selection
        if acceptSymbol("*") {
            selection = .all
        } else if accept("COUNT") {
            try expectSymbol("("); if !acceptSymbol("*") { _ = try name() }; try expectSymbol(")")
            if accept("AS") { _ = try name() }
            selection = .count
        } else {
            var columns: [String] = []
            repeat {
                columns.append(try name())
                if i < tokens.count, tokens[i] == .symbol("(") { throw InvalidRequest("functions in SELECT are not supported") }
                if accept("AS") { throw InvalidRequest("aliases in SELECT are not supported") }
            } while acceptSymbol(",")
            selection = .columns(columns)
        }
        try expect("FROM")
        var s = Select(table: try tableName(), selection: selection, relations: [], limit: nil)
        if accept("WHERE") { s.relations = try relations() }
        if accept("ORDER") { throw InvalidRequest("ORDER BY is not supported by the test node") }
        if accept("PER") { throw InvalidRequest("PER PARTITION LIMIT is not supported") }
        if accept("LIMIT") { s.limit = try term() }
        if accept("ALLOW") { try expect("FILTERING") }
        return s
    }

    private mutating func relations() throws -> [Relation] {
        var out: [Relation] = []
        repeat {
            let column = try name()
            if accept("IN") {
                try expectSymbol("(")
                var terms: [Term] = []
                repeat { terms.append(try term()) } while acceptSymbol(",")
                try expectSymbol(")")
                out.append(Relation(column: column, op: .in, terms: terms))
                continue
            }
            guard i < tokens.count, case .symbol(let op) = tokens[i], let r = Relation.Op(rawValue: op) else {
                throw SyntaxError("expected a comparison after \(column)")
            }
            i += 1
            out.append(Relation(column: column, op: r, terms: [try term()]))
        } while accept("AND")
        return out
    }

    // MARK: - Pieces

    private mutating func term() throws -> Term {
        guard i < tokens.count else { throw SyntaxError("a value is missing") }
        let t = tokens[i]
        i += 1
        switch t {
        case .marker:
            markerCount += 1
            return .marker(markerCount - 1)
        case .string, .number, .uuid, .hex: return .literal(t)
        case .word(let w) where ["true", "false"].contains(w.lowercased()): return .literal(.word(w.lowercased()))
        case .word(let w) where w.lowercased() == "null": return .null
        case .symbol("["):
            var items: [Term] = []
            if !acceptSymbol("]") {
                repeat { items.append(try term()) } while acceptSymbol(",")
                try expectSymbol("]")
            }
            return .list(items)
        case .symbol("{"):
            if acceptSymbol("}") { return .map([]) }
            let first = try term()
            if acceptSymbol(":") {
                var entries = [(first, try term())]
                while acceptSymbol(",") {
                    let k = try term()
                    try expectSymbol(":")
                    entries.append((k, try term()))
                }
                try expectSymbol("}")
                return .map(entries)
            }
            var items = [first]
            while acceptSymbol(",") { items.append(try term()) }
            try expectSymbol("}")
            return .set(items)
        default:
            throw SyntaxError("expected a value, found \(describe(t))")
        }
    }

    private func literalText(_ t: Term) throws -> String {
        switch t {
        case .literal(.string(let s)), .literal(.number(let s)), .literal(.word(let s)): return s
        default: throw SyntaxError("expected a constant")
        }
    }

    private mutating func typeName() throws -> CQLType {
        var text = try name()
        if acceptSymbol("<") {
            var depth = 1
            text += "<"
            while depth > 0 {
                guard i < tokens.count else { throw SyntaxError("unterminated type \(text)") }
                switch tokens[i] {
                case .symbol("<"): depth += 1; text += "<"
                case .symbol(">"): depth -= 1; text += ">"
                case .symbol(","): text += ","
                case .word(let w): text += w
                default: throw SyntaxError("bad type \(text)")
                }
                i += 1
            }
        }
        guard let type = CQLType(cqlName: text) else { throw InvalidRequest("unsupported type \(text)") }
        return type
    }

    private mutating func tableName() throws -> TableName {
        let first = try name()
        if acceptSymbol(".") { return TableName(keyspace: first, table: try name()) }
        return TableName(keyspace: nil, table: first)
    }

    private mutating func nameList() throws -> [String] {
        var names: [String] = []
        repeat { names.append(try name()) } while acceptSymbol(",")
        return names
    }

    private mutating func name() throws -> String {
        guard i < tokens.count else { throw SyntaxError("a name is missing") }
        switch tokens[i] {
        case .word(let w): i += 1; return w.lowercased()
        case .quoted(let q): i += 1; return q
        default: throw SyntaxError("expected a name, found \(describe(tokens[i]))")
        }
    }

    private mutating func ifNotExists() throws -> Bool {
        guard accept("IF") else { return false }
        try expect("NOT"); try expect("EXISTS")
        return true
    }

    private mutating func ifExists() throws -> Bool {
        guard accept("IF") else { return false }
        try expect("EXISTS")
        return true
    }

    private mutating func accept(_ keyword: String) -> Bool {
        guard i < tokens.count, tokens[i].isKeyword(keyword) else { return false }
        i += 1
        return true
    }

    private mutating func acceptSymbol(_ s: String) -> Bool {
        guard i < tokens.count, tokens[i] == .symbol(s) else { return false }
        i += 1
        return true
    }

    private mutating func expect(_ keyword: String) throws {
        guard accept(keyword) else { throw SyntaxError("expected \(keyword), found \(i < tokens.count ? describe(tokens[i]) : "the end")") }
    }

    private mutating func expectSymbol(_ s: String) throws {
        guard acceptSymbol(s) else { throw SyntaxError("expected '\(s)', found \(i < tokens.count ? describe(tokens[i]) : "the end")") }
    }

    private func describe(_ t: Token) -> String {
        switch t {
        case .word(let w), .number(let w), .uuid(let w), .symbol(let w): "'\(w)'"
        case .quoted(let q): "\"\(q)\""
        case .string(let s): "'\(s)' (a string)"
        case .hex(let h): "0x\(h)"
        case .marker: "'?'"
        }
    }
}

/// A request the node understands but refuses; answered with an Invalid error.
struct InvalidRequest: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
