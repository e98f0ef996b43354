/// One tensor's header entry, parsed but not yet checked against the byte buffer.
struct HeaderEntry {
    var name: String
    var dtype: SafeTensors.DType
    var shape: [Int]
    var begin: Int
    var end: Int
}

/// A strict reader of the safetensors JSON header:
///
/// ```
/// {"__metadata__": {"key": "value", …}, "name": {"dtype": "F32", "shape": [2, 3],
///  "data_offsets": [begin, end]}, …}
/// ```
/// It follows that schema rather than building a JSON tree, so memory stays within a small
/// multiple of the header and the nesting depth is fixed. Whitespace may surround any token
/// (the reference writer pads the header with spaces). The header must already be valid
/// UTF-8; positions in errors are byte offsets in the file.
struct HeaderParser {
    private let bytes: [UInt8]
    private let file: String
    private var position: Int
    private let end: Int

    /// Parses `bytes[range]`, the header of `file`.
    init(bytes: [UInt8], range: Range<Int>, file: String) {
        self.bytes = bytes
        self.file = file
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    mutating func parse() throws(SafeTensorsError) -> (
        entries: [HeaderEntry], metadata: [String: String]
    ) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else { throw .headerNotObject(file: file) }
        position += 1
        var entries: [HeaderEntry] = []
        var names: Set<String> = []
        var metadata: [String: String]?
        try parseMembers { parser, key throws(SafeTensorsError) in
            if key == "__metadata__" {
                guard metadata == nil else {
                    throw .duplicateKey(file: parser.file, object: "header", key: key)
                }
                metadata = try parser.parseMetadata()
            } else {
                guard names.insert(key).inserted else {
                    throw .duplicateKey(file: parser.file, object: "header", key: key)
                }
                entries.append(try parser.parseTensor(named: key))
            }
        }
        skipWhitespace()
        guard position == end else { throw malformed("the end of the header after '}'") }
        return (entries, metadata ?? [:])
    }

    /// An object of strings, or `null` (how the reference library's JSON encodes none).
    private mutating func parseMetadata() throws(SafeTensorsError) -> [String: String] {
        if consumeNull() { return [:] }
        guard peek() == UInt8(ascii: "{") else { throw .invalidMetadata(file: file, key: nil) }
        position += 1
        var metadata: [String: String] = [:]
        try parseMembers { parser, key throws(SafeTensorsError) in
            guard parser.peek() == UInt8(ascii: "\"") else {
                throw .invalidMetadata(file: parser.file, key: key)
            }
            let value = try parser.parseString()
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw .duplicateKey(file: parser.file, object: "__metadata__", key: key)
            }
        }
        return metadata
    }

    private mutating func parseTensor(named name: String) throws(SafeTensorsError) -> HeaderEntry {
        guard peek() == UInt8(ascii: "{") else {
            throw .invalidTensorEntry(file: file, tensor: name)
        }
        position += 1
        var dtype: SafeTensors.DType?
        var shape: [Int]?
        var offsets: [Int]?
        try parseMembers { parser, field throws(SafeTensorsError) in
            let seen: Bool
            switch field {
            case "dtype":
                seen = dtype != nil
                dtype = try parser.parseDType(tensor: name)
            case "shape":
                seen = shape != nil
                shape = try parser.parseIntegers(
                    tensor: name, field: field, limit: nil,
                    expected: "an array of non-negative integers")
            case "data_offsets":
                seen = offsets != nil
                offsets = try parser.parseIntegers(
                    tensor: name, field: field, limit: 2,
                    expected: "[begin, end], two non-negative integers")
            default:
                throw .unexpectedField(file: parser.file, tensor: name, field: field)
            }
            guard !seen else { throw .duplicateKey(file: parser.file, object: name, key: field) }
        }
        guard let dtype else { throw .missingField(file: file, tensor: name, field: "dtype") }
        guard let shape else { throw .missingField(file: file, tensor: name, field: "shape") }
        guard let offsets else {
            throw .missingField(file: file, tensor: name, field: "data_offsets")
        }
        guard offsets.count == 2 else {
            throw .invalidField(
                file: file, tensor: name, field: "data_offsets",
                expected: "[begin, end], two non-negative integers")
        }
        return HeaderEntry(
            name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
    }

    private mutating func parseDType(tensor: String) throws(SafeTensorsError) -> SafeTensors.DType {
        guard peek() == UInt8(ascii: "\"") else {
            throw .invalidField(
                file: file, tensor: tensor, field: "dtype", expected: "a string such as \"F32\"")
        }
        let spelling = try parseString()
        guard let dtype = SafeTensors.DType(rawValue: spelling) else {
            throw .unsupportedDType(file: file, tensor: tensor, dtype: spelling)
        }
        return dtype
    }

    /// `{` has been read: reads `"key": value` pairs up to `}`, handing each key to `member`,
    /// which must read the value.
    private mutating func parseMembers(
        _ member: (inout HeaderParser, String) throws(SafeTensorsError) -> Void
    ) throws(SafeTensorsError) {
        skipWhitespace()
        if consume("}") { return }
        while true {
            skipWhitespace()
            let key = try parseString()
            skipWhitespace()
            guard consume(":") else { throw malformed("':' after a key") }
            skipWhitespace()
            try member(&self, key)
            skipWhitespace()
            if consume(",") { continue }
            if consume("}") { return }
            throw malformed("',' or '}'")
        }
    }

    /// An array of non-negative integers, at most `limit` long.
    private mutating func parseIntegers(
        tensor: String, field: String, limit: Int?, expected: String
    ) throws(SafeTensorsError) -> [Int] {
        let illTyped = SafeTensorsError.invalidField(
            file: file, tensor: tensor, field: field, expected: expected)
        guard consume("[") else { throw illTyped }
        var values: [Int] = []
        skipWhitespace()
        if consume("]") { return values }
        while true {
            skipWhitespace()
            guard values.count != limit else { throw illTyped }
            values.append(try parseNonNegativeInteger(orThrow: illTyped))
            skipWhitespace()
            if consume(",") { continue }
            if consume("]") { return values }
            throw malformed("',' or ']'")
        }
    }

    /// A JSON number that is a non-negative integer without fraction or exponent and fits
    /// in `Int`; any other JSON value throws `illTyped`.
    private mutating func parseNonNegativeInteger(orThrow illTyped: SafeTensorsError)
        throws(SafeTensorsError) -> Int
    {
        guard let first = peek() else { throw malformed("a number") }
        guard first == UInt8(ascii: "-") || isDigit(first) else {
            if "\"{[tfn".utf8.contains(first) { throw illTyped }
            throw malformed("a number")
        }
        let negative = consume("-")
        var value = 0
        var overflow = false
        guard let lead = peek(), isDigit(lead) else { throw malformed("a digit") }
        if lead == UInt8(ascii: "0") {
            position += 1
        } else {
            while let digit = peek(), isDigit(digit) {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(digit - 48))
                overflow = overflow || overflow1 || overflow2
                value = sum
                position += 1
            }
        }
        var integral = true
        if consume(".") {
            integral = false
            try skipDigits()
        }
        if consume("e") || consume("E") {
            integral = false
            _ = consume("+") || consume("-")
            try skipDigits()
        }
        guard !negative, integral, !overflow else { throw illTyped }
        return value
    }

    private mutating func skipDigits() throws(SafeTensorsError) {
        guard let digit = peek(), isDigit(digit) else { throw malformed("a digit") }
        while let digit = peek(), isDigit(digit) { position += 1 }
    }

    /// A JSON string, its escapes decoded; a lone UTF-16 surrogate is an error.
    private mutating func parseString() throws(SafeTensorsError) -> String {
        guard consume("\"") else { throw malformed("a string") }
        let start = position
        var decoded: [UInt8]?
        while true {
            guard let byte = peek() else { throw malformed("'\"' closing the string") }
            if byte == UInt8(ascii: "\"") { break }
            guard byte >= 0x20 else { throw malformed("an escape for a control character") }
            if byte == UInt8(ascii: "\\") {
                if decoded == nil { decoded = Array(bytes[start..<position]) }
                position += 1
                try decodeEscape(into: &decoded!)
            } else {
                decoded?.append(byte)
                position += 1
            }
        }
        let text = decoded.map { String(decoding: $0, as: UTF8.self) }
            ?? String(decoding: bytes[start..<position], as: UTF8.self)
        position += 1
        return text
    }

    /// The escape after a backslash: `\" \\ \/ \b \f \n \r \t` or `\uXXXX` (a surrogate
    /// pair for characters beyond the Basic Multilingual Plane).
    private mutating func decodeEscape(into decoded: inout [UInt8]) throws(SafeTensorsError) {
        guard let letter = peek() else { throw malformed("an escape") }
        if let byte = simpleEscape(letter) {
            position += 1
            decoded.append(byte)
            return
        }
        guard letter == UInt8(ascii: "u") else { throw malformed("a valid escape") }
        position += 1
        var code = try parseHex4()
        if (0xD800..<0xDC00).contains(code) {
            guard consume("\\"), consume("u") else { throw malformed("a low surrogate escape") }
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw malformed("a low surrogate") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw malformed("no lone surrogate") }
        decoded.append(contentsOf: String(scalar).utf8)
    }

    private mutating func parseHex4() throws(SafeTensorsError) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = hexValue(byte) else {
                throw malformed("four hex digits after \\u")
            }
            code = code << 4 | digit
            position += 1
        }
        return code
    }

    private func peek() -> UInt8? {
        position < end ? bytes[position] : nil
    }

    private mutating func consumeNull() -> Bool {
        let literal = Array("null".utf8)
        guard end - position >= literal.count,
            bytes[position..<(position + literal.count)].elementsEqual(literal)
        else { return false }
        position += literal.count
        return true
    }

    private mutating func consume(_ scalar: Unicode.Scalar) -> Bool {
        guard peek() == UInt8(ascii: scalar) else { return false }
        position += 1
        return true
    }

    private mutating func skipWhitespace() {
        while let byte = peek(),
            byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
        {
            position += 1
        }
    }

    private func malformed(_ expected: String) -> SafeTensorsError {
        .malformedHeader(file: file, offset: position, expected: expected)
    }
}

private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
}

/// The byte that `\letter` stands for, for the escapes other than `\u`.
private func simpleEscape(_ letter: UInt8) -> UInt8? {
    switch letter {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
    case UInt8(ascii: "b"): 0x08
    case UInt8(ascii: "f"): 0x0C
    case UInt8(ascii: "n"): 0x0A
    case UInt8(ascii: "r"): 0x0D
    case UInt8(ascii: "t"): 0x09
    default: nil
    }
}

private func hexValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
}
