/// A node's attributes, checked against the names and types its operator has: an unknown
/// name, a name given twice, a wrong type or a reference to a function's attribute is an
/// error, so nothing a file says is silently ignored.
struct NodeAttributes {
    typealias Kind = Onnx_AttributeProto.AttributeType

    private let byName: [String: Onnx_AttributeProto]
    private let node: String
    private let file: String

    /// - Parameters:
    ///   - allowed: the operator's attribute names and types (ONNX's schema, opset 13+).
    /// - Throws: ``ONNXError/unsupportedAttribute(file:node:attribute:detail:)``.
    init(_ proto: Onnx_NodeProto, node: String, allowed: [String: Kind], file: String) throws(ONNXError) {
        var byName: [String: Onnx_AttributeProto] = [:]
        for attribute in proto.attribute {
            guard let kind = allowed[attribute.name] else {
                let names = allowed.keys.sorted().joined(separator: ", ")
                throw .unsupportedAttribute(
                    file: file, node: node, attribute: attribute.name,
                    detail: "is not supported on \(proto.opType) (supported: \(names.isEmpty ? "none" : names))")
            }
            guard attribute.refAttrName.isEmpty else {
                throw .unsupportedAttribute(
                    file: file, node: node, attribute: attribute.name,
                    detail: "refers to a function attribute, which a main graph cannot")
            }
            guard attribute.type == kind else {
                throw .unsupportedAttribute(
                    file: file, node: node, attribute: attribute.name,
                    detail: "has type \(String(describing: attribute.type).uppercased()); expected \(String(describing: kind).uppercased())")
            }
            guard byName.updateValue(attribute, forKey: attribute.name) == nil else {
                throw .unsupportedAttribute(file: file, node: node, attribute: attribute.name, detail: "is given twice")
            }
        }
        self.byName = byName
        self.node = node
        self.file = file
    }

    /// A `FLOAT` attribute, which must be finite.
    func float(_ name: String, default value: Float) throws(ONNXError) -> Float {
        guard let attribute = byName[name] else { return value }
        guard attribute.f.isFinite else {
            throw .invalidAttribute(file: file, node: node, attribute: name, detail: "is \(attribute.f); it must be finite")
        }
        return attribute.f
    }

    /// An `INT` attribute, which must be one of `allowed`.
    func integer(_ name: String, default value: Int64, allowed: Set<Int64>) throws(ONNXError) -> Int64 {
        guard let attribute = byName[name] else { return value }
        guard allowed.contains(attribute.i) else {
            let values = allowed.sorted().map(String.init).joined(separator: ", ")
            throw .invalidAttribute(
                file: file, node: node, attribute: name, detail: "is \(attribute.i); supported: \(values)")
        }
        return attribute.i
    }

    /// A `STRING` attribute, which must be one of `allowed`.
    func string(_ name: String, default value: String, allowed: Set<String>) throws(ONNXError) -> String {
        guard let attribute = byName[name] else { return value }
        let text = String(decoding: attribute.s, as: UTF8.self)
        guard allowed.contains(text) else {
            throw .invalidAttribute(
                file: file, node: node, attribute: name,
                detail: "is \(quoted(text)); supported: \(allowed.sorted().joined(separator: ", "))")
        }
        return text
    }

    /// An `INTS` attribute, nil when absent.
    func integers(_ name: String) -> [Int64]? {
        byName[name]?.ints
    }

    /// A `STRING` attribute read as UTF-8, nil when absent.
    func string(_ name: String) -> String? {
        byName[name].map { String(decoding: $0.s, as: UTF8.self) }
    }

    /// A `TENSOR` attribute.
    func tensor(_ name: String) -> Onnx_TensorProto? {
        byName[name]?.t
    }
}
