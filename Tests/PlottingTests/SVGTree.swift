import Foundation
import Runtime
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG document parsed with Foundation's XMLParser, so tests check what any XML reader
/// sees rather than the writer's own idea of its output.
final class SVGElement {
    let name: String
    let attributes: [String: String]
    private(set) var children: [SVGElement] = []
    fileprivate(set) var ownText = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    fileprivate func append(_ child: SVGElement) { children.append(child) }

    /// This element and all below it, in document order.
    var descendants: [SVGElement] { [self] + children.flatMap(\.descendants) }

    /// The text of this element and its descendants, without the writer's indentation.
    var text: String {
        (ownText + children.map(\.text).joined()).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func hasClass(_ name: String) -> Bool {
        (attributes["class"] ?? "").split(separator: " ").contains { $0 == name }
    }

    /// Every element below (or at) this one with the class `name`.
    func all(_ className: String) -> [SVGElement] { descendants.filter { $0.hasClass(className) } }

    /// Every element below (or at) this one with the tag `tag`.
    func tagged(_ tag: String) -> [SVGElement] { descendants.filter { $0.name == tag } }

    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
}

enum SVGParseError: Error { case invalid(String) }

/// Parses `text` as XML, failing the test's `try` on any well-formedness error.
func parseSVG(_ text: String) throws -> SVGElement {
    let builder = TreeBuilder()
    let parser = XMLParser(data: Data(text.utf8))
    parser.delegate = builder
    guard parser.parse(), let root = builder.root else {
        throw SVGParseError.invalid(parser.parserError.map { "\($0)" } ?? "no root element")
    }
    return root
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var root: SVGElement?
    private var stack: [SVGElement] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        let element = SVGElement(name: elementName, attributes: attributes)
        if let parent = stack.last { parent.append(element) } else { root = element }
        stack.append(element)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
        qualifiedName: String?
    ) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.ownText += string
    }
}

/// The numbers in an SVG path's data ("M1 2 L3 4" → [(1, 2), (3, 4)]), one array per "M".
func subpaths(_ data: String) -> [[(x: Double, y: Double)]] {
    var result: [[(x: Double, y: Double)]] = []
    for piece in data.split(separator: "M") {
        let numbers = piece.split(whereSeparator: { $0 == " " || $0 == "L" || $0 == "Z" }).compactMap { Double($0) }
        result.append(stride(from: 0, to: numbers.count - 1, by: 2).map { (numbers[$0], numbers[$0 + 1]) })
    }
    return result
}

/// Every attribute that holds a coordinate or length parses as a finite number.
func allGeometryIsFinite(_ root: SVGElement) -> Bool {
    let numeric = ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height"]
    for element in root.descendants {
        for name in numeric {
            guard let value = element.attributes[name] else { continue }
            guard let number = Double(value), number.isFinite else { return false }
        }
        if let d = element.attributes["d"] {
            let tokens = d.split(whereSeparator: { " MLZ".contains($0) })
            guard tokens.allSatisfy({ Double($0)?.isFinite == true }) else { return false }
        }
    }
    return true
}

/// A small deterministic generator (SplitMix64) for property tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
