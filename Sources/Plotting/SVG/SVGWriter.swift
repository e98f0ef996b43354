/// Builds SVG text, one element per line, indented by nesting depth. Every attribute value
/// and text node passes through ``XMLEscaping``, so no caller can produce malformed XML.
struct SVGWriter {
    private(set) var text = ""
    private var depth = 0

    mutating func open(_ tag: String, _ attributes: Attributes = [:]) {
        line("<\(tag)\(Self.attributeText(attributes))>")
        depth += 1
    }

    mutating func close(_ tag: String) {
        depth -= 1
        line("</\(tag)>")
    }

    /// An element with no children, or with a single text node.
    mutating func element(_ tag: String, _ attributes: Attributes, text content: String? = nil) {
        if let content {
            line("<\(tag)\(Self.attributeText(attributes))>\(XMLEscaping.text(content))</\(tag)>")
        } else {
            line("<\(tag)\(Self.attributeText(attributes))/>")
        }
    }

    /// A `<line>` from (x1, y1) to (x2, y2), with `attributes` after the coordinates.
    mutating func segment(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ attributes: Attributes = [:]
    ) {
        element("line", ["x1": x1.svg, "y1": y1.svg, "x2": x2.svg, "y2": y2.svg] + attributes)
    }

    /// A `<g>` around whatever `body` writes.
    mutating func group<Failure: Error>(
        _ attributes: Attributes, _ body: (inout SVGWriter) throws(Failure) -> Void
    ) throws(Failure) {
        open("g", attributes)
        try body(&self)
        close("g")
    }

    private mutating func line(_ content: String) {
        text += String(repeating: " ", count: depth)
        text += content
        text += "\n"
    }

    private static func attributeText(_ attributes: Attributes) -> String {
        var result = ""
        for (name, value) in attributes.pairs {
            result += " \(name)=\"\(XMLEscaping.attribute(value))\""
        }
        return result
    }
}

/// An element's attributes, in the order written (dictionary-literal syntax, kept ordered so
/// the output is deterministic).
struct Attributes: ExpressibleByDictionaryLiteral {
    private(set) var pairs: [(String, String)]

    init(dictionaryLiteral elements: (String, String)...) {
        pairs = elements
    }

    static func + (first: Attributes, second: Attributes) -> Attributes {
        var result = first
        result.pairs += second.pairs
        return result
    }

    /// Adds the attribute when `value` is not nil.
    mutating func add(_ name: String, _ value: String?) {
        if let value { pairs.append((name, value)) }
    }
}

/// Escaping for XML 1.0 text and attribute values.
///
/// `&`, `<`, `>`, `"` and `'` become entities; characters XML 1.0 forbids (C0 controls other
/// than tab, line feed and carriage return, U+FFFE, U+FFFF) become U+FFFD, so any Swift
/// string yields a well-formed document.
enum XMLEscaping {
    static func text(_ string: String) -> String { escape(string, inAttribute: false) }
    static func attribute(_ string: String) -> String { escape(string, inAttribute: true) }

    private static func escape(_ string: String, inAttribute: Bool) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(string.unicodeScalars.count)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r":
                if inAttribute {
                    result += "&#\(scalar.value);"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            default:
                let forbidden = scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF
                result.unicodeScalars.append(forbidden ? "\u{FFFD}" : scalar)
            }
        }
        return result
    }
}

extension Double {
    /// The coordinate as SVG writes it: rounded to 0.01 px, trailing zeros dropped, never
    /// "-0", never exponent notation. Non-finite or absurd values (which layout never
    /// produces for visible geometry) are clamped so the output stays valid.
    var svg: String {
        let clamped = isNaN ? 0 : Swift.min(Swift.max(self, -1e9), 1e9)
        let hundredths = Int64((clamped * 100).rounded(.toNearestOrAwayFromZero))
        if hundredths == 0 { return "0" }
        let sign = hundredths < 0 ? "-" : ""
        let whole = hundredths.magnitude / 100
        let fraction = hundredths.magnitude % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
