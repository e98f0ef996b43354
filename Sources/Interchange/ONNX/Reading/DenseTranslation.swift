import Activations

/// Gemm, MatMul and bias Add as dense layers, and Mul → Softplus → Div as a softplus with β.
extension LayerTranslator {
    /// `Y = α·A·B′ + β·C` with `B′ = transB ? Bᵀ : B`: W = α·B′ᵀ `[outputs, inputs]`, b = β·C.
    /// `transA = 1` would make the batch the inner dimension and is refused.
    mutating func gemm(_ node: Onnx_NodeProto, index: Int, attributes: NodeAttributes) throws(ONNXError) -> OpenDense {
        let label = context.label(index)
        try requireFlat(label, "Gemm")
        guard (2...3).contains(node.input.count) else {
            throw .shapeMismatch(file: file, node: label, detail: "Gemm needs A, a constant B and an optional constant C")
        }
        let alpha = Double(try attributes.float("alpha", default: 1))
        let beta = Double(try attributes.float("beta", default: 1))
        _ = try attributes.integer("transA", default: 0, allowed: [0])
        let transposed = try attributes.integer("transB", default: 0, allowed: [0, 1]) == 1
        let (shape, matrix) = try floatingConstant(node.input[1], node: index)
        let (inputs, outputs) = try matrixSize(shape, transposed: transposed, label: label, op: "Gemm")
        var weights = transposed ? matrix : Self.transpose(matrix, rows: inputs, columns: outputs)
        if alpha != 1 { weights = weights.map { alpha * $0 } }
        var bias = [Double](repeating: 0, count: outputs)
        if node.input.count == 3, !node.input[2].isEmpty {
            try add(node.input[2], scaledBy: beta, to: &bias, index: index, op: "Gemm C")
        }
        features = [outputs]
        return OpenDense(inputs: inputs, outputs: outputs, weights: weights, bias: bias, label: label)
    }

    /// `Y = A·B` with B `[inputs, outputs]`: W = Bᵀ, and b = 0 until an `Add` follows.
    mutating func matMul(_ node: Onnx_NodeProto, index: Int) throws(ONNXError) -> OpenDense {
        let label = context.label(index)
        try requireFlat(label, "MatMul")
        guard node.input.count == 2 else {
            throw .shapeMismatch(file: file, node: label, detail: "MatMul needs A and a constant B")
        }
        let (shape, matrix) = try floatingConstant(node.input[1], node: index)
        let (inputs, outputs) = try matrixSize(shape, transposed: false, label: label, op: "MatMul")
        features = [outputs]
        return OpenDense(
            inputs: inputs, outputs: outputs, weights: Self.transpose(matrix, rows: inputs, columns: outputs),
            bias: [Double](repeating: 0, count: outputs), label: label)
    }

    /// `Y = X + c` right after a Gemm or MatMul: c is added to that layer's bias.
    mutating func addBias(_ node: Onnx_NodeProto, index: Int, follows: Bool) throws(ONNXError) {
        let label = context.label(index)
        guard follows, var dense = openDense else {
            throw .unsupportedOperator(
                file: file, operator: "Add", node: label, detail: "Add is read only as the bias right after a Gemm or MatMul")
        }
        guard node.input.count == 2, let constant = node.input.first(where: context.isConstant) else {
            throw .shapeMismatch(file: file, node: label, detail: "Add needs the running value and a constant bias")
        }
        openDense = nil  // so that `dense.bias` is uniquely held and updated in place
        try add(constant, scaledBy: 1, to: &dense.bias, index: index, op: "Add")
        openDense = dense
    }

    /// Appends the open Gemm or MatMul as a dense layer, its folded α, β and biases rounded
    /// once to the model's precision, as a runtime holds them.
    mutating func closeDense() throws(ONNXError) {
        guard let open = openDense else { return }
        openDense = nil
        let round: (Double) -> Double = precision == .float32 ? { Double(Float($0)) } : { $0 }
        let parameters = (open.weights + open.bias).map(round)
        guard parameters.allSatisfy(\.isFinite) else {
            throw .invalidGraph(file: file, detail: "node \(open.label): alpha, beta or an added bias takes a parameter beyond the finite range")
        }
        layers.append(.dense(inputs: open.inputs, outputs: open.outputs))
        values += parameters
    }

    /// Mul by β, Softplus, Div by the same β: PyTorch's `softplus(x, beta)`, as the writer
    /// exports it. Consumes the three nodes from `position`.
    mutating func scaledSoftplus(_ chain: [Int], at position: Int) throws(ONNXError) -> Activation {
        let label = context.label(chain[position])
        let ops = chain[position..<min(position + 3, chain.count)].map { context.graph.node[$0].opType }
        guard ops == ["Mul", "Softplus", "Div"] else {
            throw .unsupportedOperator(
                file: file, operator: "Mul", node: label, detail: "Mul is read only in Mul → Softplus → Div, a softplus with β ≠ 1, and in the formulas of SiLU, Mish and GELU")
        }
        for index in chain[(position + 1)...(position + 2)] {
            let node = context.graph.node[index]
            _ = try NodeAttributes(node, node: context.label(index), allowed: [:], file: file)
            guard node.input.count == (node.opType == "Div" ? 2 : 1), context.isConstant(node.input[0]) == false else {
                throw .notAChain(file: file, detail: "node \(context.label(index)) must read the running value as its first input")
            }
        }
        let multiply = context.graph.node[chain[position]]
        guard multiply.input.count == 2, let scale = multiply.input.first(where: context.isConstant) else {
            throw .shapeMismatch(file: file, node: label, detail: "Mul needs the running value and a constant β")
        }
        let beta = try scalar(scale, index: chain[position])
        let divisor = try scalar(context.graph.node[chain[position + 2]].input[1], index: chain[position + 2])
        guard beta == divisor, beta > 0 else {
            throw .unsupportedOperator(
                file: file, operator: "Mul", node: label,
                detail: "Mul → Softplus → Div reads as a softplus only when both scale by the same β > 0 (got \(beta) and \(divisor))")
        }
        return try activation(label, parameter: "beta") { () throws(ActivationError) in try .softplus(beta: beta) }
    }

    // MARK: - Pieces

    private func matrixSize(_ shape: [Int], transposed: Bool, label: String, op: String) throws(ONNXError) -> (inputs: Int, outputs: Int) {
        guard shape.count == 2 else {
            throw .shapeMismatch(file: file, node: label, detail: "\(op) B must be a matrix, got shape \(shape)")
        }
        let (inputs, outputs) = transposed ? (shape[1], shape[0]) : (shape[0], shape[1])
        guard inputs == width, outputs >= 1 else {
            throw .shapeMismatch(
                file: file, node: label,
                detail: "\(op) B of shape \(shape)\(transposed ? " (transB=1)" : "") maps \(inputs) inputs to \(outputs) outputs but meets \(width) features")
        }
        return (inputs, outputs)
    }

    /// Adds `scale × c` to `bias`, where the constant c is one value or one per output.
    private mutating func add(_ name: String, scaledBy scale: Double, to bias: inout [Double], index: Int, op: String) throws(ONNXError) {
        let (shape, values) = try floatingConstant(name, node: index)
        try charge(bias.count)
        guard let count = Self.broadcastCount(shape, rowOf: bias.count) else {
            throw .shapeMismatch(
                file: file, node: context.label(index),
                detail: "\(op) of shape \(shape) is no bias for \(bias.count) outputs (allowed: [], [1], [\(bias.count)], [1, \(bias.count)])")
        }
        for output in bias.indices { bias[output] += scale * values[count == 1 ? 0 : output] }
    }

    /// The one value of a constant of any all-ones shape, as the shortest decimal for FLOAT.
    private mutating func scalar(_ name: String, index: Int) throws(ONNXError) -> Double {
        let (shape, values) = try floatingConstant(name, node: index)
        guard values.count == 1, shape.count <= 2 else {
            throw .shapeMismatch(file: file, node: context.label(index), detail: "β must be one value, got shape \(shape)")
        }
        return precision == .float32 ? decimalValue(Float(values[0])) : values[0]
    }

    static func transpose(_ matrix: [Double], rows: Int, columns: Int) -> [Double] {
        var result = [Double](repeating: 0, count: matrix.count)
        for row in 0..<rows {
            for column in 0..<columns { result[column * rows + row] = matrix[row * columns + column] }
        }
        return result
    }
}
