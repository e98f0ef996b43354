import Runtime

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a CSV file with a header row: numeric feature columns and one target column.
///
/// Fields are separated by commas, rows end with `\n` or `\r\n`; blank rows are skipped; a
/// field may be quoted (`"…"`, `""` for a quote inside), which the target column and the
/// header use for names with commas. Feature fields are decimal numbers (spaces around them
/// allowed), parsed to the correctly rounded `Float` by ``DecimalParser``; empty fields, NaN
/// and infinities are refused. The file is read with one `read` into memory and parsed in one
/// pass into an array sized by counting the newlines (`memchr`).
enum CSVReader {
    static func read(_ path: String, options: DataReader) throws(DatasetError) -> Examples {
        let bytes = try FileByteSource.contents(of: path, padding: newline)
        let outcome: Result<Examples, DatasetError> = bytes.withUnsafeBufferPointer { text in
            Result { () throws(DatasetError) in try parse(text, path: path, options: options) }
        }
        return try outcome.get()
    }

    /// Hands `body` the examples of `path` a block of about `blockBytes` of whole rows at a
    /// time (the header read once, line numbers in messages counted over the whole file), so
    /// memory stays bounded by the block; a file no larger than one block is read as
    /// ``read(_:options:)`` reads it. For inputs to predict on: each block's labels would
    /// make their own classes. A quoted field holding a line break may not span blocks.
    static func forEachBlock(
        _ path: String, options: DataReader, blockBytes: Int, _ body: (Examples) throws -> Void
    ) throws {
        let file = try FileByteSource(path: path)
        guard let size = file.knownSize, size > blockBytes else { return try body(read(path, options: options)) }
        func bytes(_ start: Int, _ count: Int) throws -> [UInt8] {
            try requireMemory(count, for: "\(path): \(count) bytes")
            var buffer = [UInt8](repeating: 0, count: count)
            try buffer.withUnsafeMutableBytes { target in try file.read(at: start, into: target) }
            return buffer
        }
        var header: [UInt8] = []
        var length = min(size, 1 << 16)
        while header.isEmpty {
            let prefix = try bytes(0, length)
            if let end = prefix.firstIndex(of: newline) {
                header = Array(prefix[...end])
            } else if length == size {
                return try body(read(path, options: options))
            } else {
                length = min(size, length * 2)
            }
        }
        var position = header.count, line = 2, handed = false
        while position < size {
            var count = min(blockBytes, size - position)
            var block = try bytes(position, count)
            while position + count < size, !block.contains(newline) {
                count = min(size - position, count * 2)
                block = try bytes(position, count)
            }
            if position + count < size, let last = block.lastIndex(of: newline) { block.removeSubrange((last + 1)...) }
            let lines = block.reduce(0) { $0 + ($1 == newline ? 1 : 0) }
            if block.contains(where: { $0 != newline && $0 != carriageReturn }) {
                let text = header + block + [newline]
                let outcome: Result<Examples, DatasetError> = text.withUnsafeBufferPointer { text in
                    Result { () throws(DatasetError) in try parse(text, path: path, options: options, firstLine: line) }
                }
                try body(try outcome.get())
                handed = true
            }
            line += lines
            position += block.count
        }
        if !handed { throw DatasetError.badData(path: path, reason: "no data rows after the header") }
    }

    private static let newline = UInt8(ascii: "\n")
    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")

    /// Column roles: a feature's position (≥ 0), or one of these.
    private static let labelColumn: Int32 = -1
    private static let valueColumn: Int32 = -2
    private static let skippedColumn: Int32 = -3

    /// Parses `text`, whose last byte is a newline that the file may lack.
    private static func parse(
        _ text: UnsafeBufferPointer<UInt8>, path: String, options: DataReader, firstLine: Int = 2
    ) throws(DatasetError) -> Examples {
        var cursor = text.baseAddress!
        let end = cursor + text.count
        if text.count >= 4, cursor[0] == 0xEF, cursor[1] == 0xBB, cursor[2] == 0xBF { cursor += 3 }
        let names: [String]
        (names, cursor) = fields(cursor, end)
        guard cursor.pointee == newline || cursor.pointee == carriageReturn, cursor < end - 1 || names != [""]
        else {
            throw .badData(path: path, reason: names == [""] ? "the file is empty; expected a header row" : "line 1: the header row is not valid CSV")
        }
        cursor += cursor.pointee == carriageReturn ? 2 : 1
        if let repeated = Dictionary(names.map { ($0, 1) }, uniquingKeysWith: +).first(where: { $0.value > 1 }) {
            throw .badData(path: path, reason: "line 1: the column '\(repeated.key)' appears \(repeated.value) times")
        }
        let roles = try columnRoles(names, path: path, options: options)
        let featureNames = options.featureNames ?? names.indices.filter { roles[$0] >= 0 }.map { names[$0] }
        let featureCount = featureNames.count

        var rowBound = 0
        var scan = UnsafeRawPointer(cursor)
        while let found = memchr(scan, Int32(newline), end - scan.assumingMemoryBound(to: UInt8.self)) {
            rowBound += 1
            scan = UnsafeRawPointer(found) + 1
        }
        let capacity = MemoryBudget.product(rowBound, featureCount)
        try requireMemory(capacity.flatMap { MemoryBudget.product($0, 4) }, for: "\(path): \(rowBound) rows × \(featureCount) features")
        var labels: [String] = []
        var values: [Float] = []
        var rowCount = 0
        let features = try roles.withUnsafeBufferPointer { roles throws(DatasetError) in
            try makeFloatArray(capacity: capacity ?? 0) { output throws(DatasetError) in
                var line = firstLine
                while cursor < end {
                    if cursor.pointee == newline || (cursor.pointee == carriageReturn && cursor[1] == newline) {
                        cursor += cursor.pointee == newline ? 1 : 2
                        line += 1
                        continue
                    }
                    let lineStart = cursor
                    let row = output.baseAddress! + rowCount * featureCount
                    for column in 0..<roles.count {
                        let role = roles[column]
                        if role >= 0 || role == valueColumn {
                            var start = cursor
                            while start.pointee == space { start += 1 }
                            guard let (value, next) = DecimalParser.parse(start), value.isFinite else {
                                throw fieldError(lineStart, end, column: column, names: names, line: line, path: path)
                            }
                            if role >= 0 { row[Int(role)] = value } else { values.append(value) }
                            cursor = next
                            while cursor.pointee == space { cursor += 1 }
                        } else {
                            let (label, next) = field(cursor, end)
                            if role == labelColumn { labels.append(label) }
                            cursor = next
                        }
                        let separator = cursor.pointee
                        if column + 1 < roles.count ? separator != comma
                            : separator != newline && !(separator == carriageReturn && cursor[1] == newline)
                        {
                            throw fieldError(lineStart, end, column: column, names: names, line: line, path: path)
                        }
                        cursor += separator == carriageReturn ? 2 : 1
                    }
                    rowCount += 1
                    line += 1
                }
                return rowCount * featureCount
            }
        }
        guard rowCount > 0 else { throw .badData(path: path, reason: "no data rows after the header") }
        let targets: Examples.Targets
        if roles.contains(valueColumn) {
            targets = .values(values)
        } else if let column = roles.firstIndex(of: labelColumn) {
            let description = "column '\(names[column])'"
            let integers = labels.compactMap { Int64($0) }
            targets = integers.count == labels.count
                ? try classTargets(integers, name: { String($0) }, given: options.classNames, path: path, column: description)
                : try classTargets(labels, name: { $0 }, given: options.classNames, path: path, column: description)
        } else {
            targets = .none
        }
        return Examples(checked: features, shape: [featureCount], targets: targets, featureNames: featureNames)
    }

    /// What each column is: with `featureNames`, those columns in that order; else every
    /// column but the target (`target`, default the last) is a feature.
    private static func columnRoles(
        _ names: [String], path: String, options: DataReader
    ) throws(DatasetError) -> [Int32] {
        let targetRole = options.featuresOnly ? skippedColumn : options.task == .regression ? valueColumn : labelColumn
        var roles = [Int32](repeating: skippedColumn, count: names.count)
        if let target = options.target {
            if let index = names.firstIndex(of: target) {
                roles[index] = targetRole
            } else if !options.featuresOnly {
                throw .badData(path: path, reason: "no target column '\(target)' (columns: \(list(names)))")
            }
        } else if !options.featuresOnly || options.featureNames != nil {
            roles[names.count - 1] = targetRole
        }
        if let wanted = options.featureNames {
            for (position, name) in wanted.enumerated() {
                guard let index = names.firstIndex(of: name) else {
                    throw .badData(path: path, reason: "no feature column '\(name)' (columns: \(list(names)))")
                }
                roles[index] = Int32(position)
            }
        } else {
            var position: Int32 = 0
            for index in roles.indices where roles[index] == skippedColumn {
                roles[index] = position
                position += 1
            }
        }
        guard roles.contains(where: { $0 >= 0 }) else {
            throw .badData(path: path, reason: "no feature columns besides the target (columns: \(list(names)))")
        }
        return roles
    }

    /// One field at `start`: quoted (up to the closing quote) or plain (up to a comma or the
    /// end of the line); returns its text and the position after it.
    private static func field(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>
    ) -> (String, UnsafePointer<UInt8>) {
        var cursor = start
        if cursor.pointee == quote {
            var bytes: [UInt8] = []
            cursor += 1
            while cursor < end - 1 {
                if cursor.pointee == quote {
                    guard cursor[1] == quote else { return (String(decoding: bytes, as: UTF8.self), cursor + 1) }
                    cursor += 1
                }
                bytes.append(cursor.pointee)
                cursor += 1
            }
            return (String(decoding: bytes, as: UTF8.self), cursor)
        }
        while cursor.pointee != comma, cursor.pointee != newline, cursor.pointee != carriageReturn { cursor += 1 }
        return (String(decoding: UnsafeBufferPointer(start: start, count: cursor - start), as: UTF8.self), cursor)
    }

    /// The fields of the row at `start`, and the position after the last one.
    private static func fields(
        _ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>
    ) -> (texts: [String], end: UnsafePointer<UInt8>) {
        var texts: [String] = []
        var cursor = start
        while true {
            let (text, next) = field(cursor, end)
            texts.append(text)
            cursor = next
            if cursor.pointee != comma { return (texts, cursor) }
            cursor += 1
        }
    }

    /// Why the row starting at `lineStart` failed at `column`: a different number of fields
    /// than the header, or a field that is not a finite number.
    private static func fieldError(
        _ lineStart: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, column: Int, names: [String],
        line: Int, path: String
    ) -> DatasetError {
        let fields = fields(lineStart, end).texts
        if fields.count != names.count {
            return .badData(path: path, reason: "line \(line) has \(fields.count) fields; the header has \(names.count)")
        }
        let text = fields[column]
        let place = "line \(line), column \(column + 1) ('\(names[column])')"
        if text.allSatisfy({ $0 == " " }) {
            return .badData(path: path, reason: "\(place) is empty; every feature and target needs a number")
        }
        let number = Double(text.trimmingSpaces)
        let what = number.map { $0.isFinite ? "is outside Float's range" : "is not finite" } ?? "is not a number"
        return .badData(path: path, reason: "\(place): '\(text.prefix(40))' \(what)")
    }

    private static func list(_ names: [String]) -> String {
        names.prefix(12).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 12 ? ", …" : "")
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let last = lastIndex { $0 != " " }.map(index(after:)) ?? endIndex
        return self[start..<max(start, last)]
    }
}
