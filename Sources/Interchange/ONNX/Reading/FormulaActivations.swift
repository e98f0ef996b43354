import Activations

/// The members that ONNX writes out as formulas reading one value more than once, recognised
/// and collapsed into one node each before the graph is read as a chain:
///
/// ```
/// silu:      Mul(x, Sigmoid(x))
/// mish:      Mul(x, Tanh(Softplus(x)))
/// gelu:      Mul(Mul(x, Add(Erf(Mul(x, √½)), 1)), ½)        (or Div(x, √2) inside Erf: PyTorch's form)
/// gelu:tanh: Mul(Mul(x, Add(Tanh(Mul(Add(x, Mul(Mul(Mul(x, x), x), c)), √(2/π))), 1)), ½)
/// ```
/// Add and Mul match their operands in either order; a constant must hold one value, equal to
/// the formula's within 10^-6 relative (a Float rounding of it). Every value inside a match
/// must be read only inside it, so collapsing changes nothing the rest of the graph sees. The
/// collapsed node keeps the name and output of the formula's last node; its domain is
/// ``domain`` and its operator the member's spelling.
enum FormulaActivations {
    /// The domain of collapsed nodes; no file can hold it (ModelReader refuses other domains
    /// before collapsing).
    static let domain = "rectifier.formula"

    /// A formula's shape.
    indirect enum Pattern {
        /// The value the activation is applied to.
        case input
        /// A constant of one value.
        case constant(Double)
        /// A node of this operator and operands.
        case node(String, [Pattern])
    }

    static let members: [String: Activation] = [
        "silu": .silu, "mish": .mish, "gelu": .gelu, "gelu:tanh": .gelu(GELU(approximation: .tanh)),
    ]

    static let patterns: [(String, Pattern)] = {
        func half(_ phi: Pattern) -> Pattern { .node("Mul", [.node("Mul", [.input, phi]), .constant(0.5)]) }
        let erfArguments: [Pattern] = [
            .node("Mul", [.input, .constant(0.5.squareRoot())]), .node("Div", [.input, .constant(2.squareRoot())]),
        ]
        let cube = Pattern.node("Mul", [.node("Mul", [.input, .input]), .input])
        let z = Pattern.node("Mul", [.node("Add", [.input, .node("Mul", [cube, .constant(0.044715)])]), .constant((2 / Double.pi).squareRoot())])
        return [
            ("silu", .node("Mul", [.input, .node("Sigmoid", [.input])])),
            ("mish", .node("Mul", [.input, .node("Tanh", [.node("Softplus", [.input])])])),
            ("gelu:tanh", half(.node("Add", [.node("Tanh", [z]), .constant(1)]))),
        ] + erfArguments.map { ("gelu", half(.node("Add", [.node("Erf", [$0]), .constant(1)]))) }
    }()

    /// `graph` with every recognised formula collapsed into one node.
    static func collapsed(_ context: GraphContext) -> Onnx_GraphProto {
        var graph = context.graph
        let matcher = Matcher(context: context)
        var removed: Set<Int> = []
        var replacements: [Int: Onnx_NodeProto] = [:]
        for (index, node) in context.graph.node.enumerated()
        where node.opType == "Mul" && !removed.contains(index) && node.output.count == 1 {
            for (name, pattern) in patterns {
                guard let (input, nodes) = matcher.match(pattern, rootedAt: index),
                    nodes.allSatisfy({ !removed.contains($0) && replacements[$0] == nil })
                else { continue }
                var collapsed = Onnx_NodeProto()
                collapsed.name = node.name
                collapsed.domain = domain
                collapsed.opType = name
                collapsed.input = [input]
                collapsed.output = node.output
                replacements[index] = collapsed
                removed.formUnion(nodes.filter { $0 != index })
                break
            }
        }
        guard !replacements.isEmpty else { return graph }
        graph.node = context.graph.node.indices.compactMap { index in
            removed.contains(index) ? nil : replacements[index] ?? context.graph.node[index]
        }
        return graph
    }

    /// Matches patterns against the graph's nodes.
    struct Matcher {
        let context: GraphContext
        /// The node producing each computed value, and the nodes reading it.
        private var producer: [String: Int] = [:]
        private var readers: [String: [Int]] = [:]

        init(context: GraphContext) {
            self.context = context
            for (index, node) in context.graph.node.enumerated() where !context.constantNodes.contains(index) {
                for output in node.output where !output.isEmpty { producer[output] = index }
                for input in node.input where !input.isEmpty { readers[input, default: []].append(index) }
            }
        }

        /// The input value and the matched nodes, when `pattern` matches at node `root` and
        /// every value inside the match is read only inside it.
        func match(_ pattern: Pattern, rootedAt root: Int) -> (String, [Int])? {
            guard let output = context.graph.node[root].output.first else { return nil }
            var input: String?
            var nodes: [Int] = []
            guard match(pattern, output, &input, &nodes), let input else { return nil }
            let inside = Set(nodes)
            for index in inside where index != root {
                let node = context.graph.node[index]
                guard node.output.count == 1, readers[node.output[0], default: []].allSatisfy(inside.contains) else { return nil }
            }
            return (input, Array(inside))
        }

        private func match(_ pattern: Pattern, _ value: String, _ input: inout String?, _ nodes: inout [Int]) -> Bool {
            switch pattern {
            case .input:
                guard !context.isConstant(value) else { return false }
                if input == nil { input = value }
                return input == value
            case .constant(let expected):
                guard let tensor = context.constants[value],
                    let values = (try? tensor.floatingValues(.float32, file: context.file))?.values
                        ?? (try? tensor.floatingValues(.float64, file: context.file))?.values,
                    values.count == 1
                else { return false }
                return abs(values[0] - expected) <= 1e-6 * abs(expected)
            case .node(let op, let operands):
                guard let index = producer[value] else { return false }
                let node = context.graph.node[index]
                guard node.opType == op, SupportedOperators.isStandardDomain(node.domain), node.attribute.isEmpty,
                    node.output.count == 1, node.input.count == operands.count
                else { return false }
                let orders = operands.count == 2 && (op == "Add" || op == "Mul")
                    ? [[0, 1], [1, 0]] : [Array(operands.indices)]
                for order in orders {
                    var (tryInput, tryNodes) = (input, nodes + [index])
                    if order.enumerated().allSatisfy({ match(operands[$0.offset], node.input[$0.element], &tryInput, &tryNodes) }) {
                        (input, nodes) = (tryInput, tryNodes)
                        return true
                    }
                }
                return false
            }
        }
    }
}
