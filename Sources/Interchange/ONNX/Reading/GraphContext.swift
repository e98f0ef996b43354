/// A graph with its constants indexed: the initializers and the values of `Constant` nodes,
/// by name. Everything else in the graph is computed from the one graph input.
struct GraphContext {
    let file: String
    let graph: Onnx_GraphProto
    /// Initializers and `Constant` outputs by name.
    let constants: [String: Onnx_TensorProto]
    /// The indices of the `Constant` nodes, which stand outside the chain.
    let constantNodes: Set<Int>
    private let sparseNames: Set<String>

    /// - Throws: ``ONNXError/invalidGraph(file:detail:)`` for an unnamed or repeated
    ///   initializer; ``ONNXError/unsupportedAttribute(file:node:attribute:detail:)`` for a
    ///   `Constant` given other than by its `value` tensor.
    init(_ graph: Onnx_GraphProto, file: String) throws(ONNXError) {
        self.file = file
        self.graph = graph
        var constants: [String: Onnx_TensorProto] = [:]
        var sparseNames: Set<String> = []
        for tensor in graph.initializer {
            guard !tensor.name.isEmpty else { throw .invalidGraph(file: file, detail: "an initializer has no name") }
            guard constants.updateValue(tensor, forKey: tensor.name) == nil else {
                throw .invalidGraph(file: file, detail: "initializer \(quoted(tensor.name)) appears twice")
            }
        }
        for sparse in graph.sparseInitializer { sparseNames.insert(sparse.values.name) }
        var constantNodes: Set<Int> = []
        for (index, node) in graph.node.enumerated()
        where node.opType == "Constant" && SupportedOperators.isStandardDomain(node.domain) {
            let label = Self.label(of: node, at: index)
            let attributes = try NodeAttributes(
                node, node: label, allowed: SupportedOperators.attributes["Constant"]!, file: file)
            guard var value = attributes.tensor("value"), node.input.isEmpty, node.output.count == 1 else {
                throw .invalidGraph(file: file, detail: "Constant node \(label) must have no input, one output and a 'value' tensor")
            }
            value.name = node.output[0]
            guard constants.updateValue(value, forKey: value.name) == nil else {
                throw .invalidGraph(file: file, detail: "value \(quoted(value.name)) is produced twice")
            }
            constantNodes.insert(index)
        }
        self.constants = constants
        self.constantNodes = constantNodes
        self.sparseNames = sparseNames
    }

    /// How messages name node `index`: its name in quotes, or `#index (Op)` when unnamed.
    func label(_ index: Int) -> String {
        Self.label(of: graph.node[index], at: index)
    }

    static func label(of node: Onnx_NodeProto, at index: Int) -> String {
        node.name.isEmpty ? "#\(index) (\(quoted(node.opType).dropFirst().dropLast()))" : quoted(node.name)
    }

    func isConstant(_ name: String) -> Bool {
        constants[name] != nil
    }

    /// The constant named `name`, read by node `index`.
    /// - Throws: ``ONNXError/missingInitializer(file:name:node:)``, or
    ///   ``ONNXError/invalidTensor(file:name:detail:)`` for a sparse initializer.
    func constant(_ name: String, node index: Int) throws(ONNXError) -> Onnx_TensorProto {
        if let tensor = constants[name] { return tensor }
        if sparseNames.contains(name) {
            throw .invalidTensor(file: file, name: name, detail: "sparse initializers are not supported")
        }
        throw .missingInitializer(file: file, name: name, node: label(index))
    }
}
