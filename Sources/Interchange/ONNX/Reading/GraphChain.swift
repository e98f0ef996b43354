/// The nodes of a graph in chain order: from the one graph input, each node reads the
/// previous node's output (and otherwise only constants), and its output is read by the next
/// node alone; the last output is the graph output. This is what a feed-forward network
/// looks like in ONNX; branches, merges, cycles and stray nodes are refused.
struct GraphChain {
    /// The graph input that is not an initializer.
    let input: Onnx_ValueInfoProto
    /// Node indices, input to output (`Constant` nodes excluded).
    let nodes: [Int]

    /// - Throws: ``ONNXError/invalidGraph(file:detail:)`` for a missing, extra or repeated
    ///   input or output; ``ONNXError/missingInitializer(file:name:node:)`` for a value
    ///   nothing produces; ``ONNXError/notAChain(file:detail:)`` otherwise.
    init(_ context: GraphContext) throws(ONNXError) {
        let file = context.file
        let graph = context.graph
        let inputs = graph.input.filter { !context.isConstant($0.name) }
        guard inputs.count == 1 else {
            let names = inputs.map { quoted($0.name) }.joined(separator: ", ")
            throw .invalidGraph(
                file: file,
                detail: inputs.isEmpty ? "the graph has no input" : "the graph has \(inputs.count) inputs (\(names)); a feed-forward network has one")
        }
        input = inputs[0]
        guard !graph.output.isEmpty else { throw .invalidGraph(file: file, detail: "the graph has no output") }

        // Who produces each value, and who reads each computed value.
        var producers: [String: Int] = [input.name: -1]
        for name in context.constants.keys { producers[name] = -1 }
        for (index, node) in graph.node.enumerated() where !context.constantNodes.contains(index) {
            for output in node.output where !output.isEmpty {
                guard producers.updateValue(index, forKey: output) == nil else {
                    throw .invalidGraph(file: file, detail: "value \(quoted(output)) is produced twice (by node \(context.label(index)) and before)")
                }
            }
        }
        var readers: [String: [Int]] = [:]
        for (index, node) in graph.node.enumerated() where !context.constantNodes.contains(index) {
            if let missing = node.input.first(where: { !$0.isEmpty && producers[$0] == nil }) {
                // Not a constant: this throws, naming a sparse initializer or a missing one.
                _ = try context.constant(missing, node: index)
            }
            let computed = node.input.filter { !$0.isEmpty && !context.isConstant($0) }
            guard computed.count == 1 else {
                throw .notAChain(
                    file: file,
                    detail: computed.isEmpty
                        ? "node \(context.label(index)) reads only constants"
                        : "node \(context.label(index)) combines \(computed.count) computed values (\(computed.map(quoted).joined(separator: ", ")))")
            }
            readers[computed[0], default: []].append(index)
        }

        // Walk from the input; each value must be read by at most one node.
        var order: [Int] = []
        var visited: Set<Int> = []
        var current = input.name
        while let next = readers[current] {
            guard next.count == 1 else {
                let labels = next.map(context.label).joined(separator: ", ")
                throw .notAChain(file: file, detail: "value \(quoted(current)) is read by \(next.count) nodes (\(labels))")
            }
            let index = next[0]
            let outputs = graph.node[index].output.filter { !$0.isEmpty }
            guard visited.insert(index).inserted, outputs.count == 1 else {
                throw .notAChain(
                    file: file,
                    detail: outputs.count == 1
                        ? "node \(context.label(index)) is reached twice (a cycle)"
                        : "node \(context.label(index)) has \(outputs.count) outputs; a chain node has one")
            }
            order.append(index)
            current = outputs[0]
        }
        if let stray = graph.node.indices.first(where: { !visited.contains($0) && !context.constantNodes.contains($0) }) {
            throw .notAChain(file: file, detail: "node \(context.label(stray)) is not on the path from input \(quoted(input.name)) to the output")
        }
        guard !order.isEmpty else { throw .invalidGraph(file: file, detail: "the graph has no operations") }
        try Self.checkOutputs(graph, last: current, order: order, file: file)
        nodes = order
    }

    /// The chain's last value must be a graph output; the only other output allowed is the
    /// value a final `Softmax` reads (the logits beside the probabilities).
    private static func checkOutputs(_ graph: Onnx_GraphProto, last: String, order: [Int], file: String) throws(ONNXError) {
        let names = graph.output.map(\.name)
        guard names.contains(last) else {
            throw .notAChain(file: file, detail: "the chain ends at \(quoted(last)), which is not a graph output")
        }
        let lastNode = graph.node[order[order.count - 1]]
        let logits = lastNode.opType == "Softmax" ? lastNode.input.first : nil
        if let other = names.first(where: { $0 != last && $0 != logits }) {
            throw .notAChain(file: file, detail: "graph output \(quoted(other)) is not the end of the chain \(quoted(last))")
        }
    }
}
