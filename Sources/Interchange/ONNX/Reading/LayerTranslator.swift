import Activations
import Networks

/// Turns the chain's nodes into layers, tracking the shape of the running value: the batch
/// dimension, then `features` (several dimensions until a `Flatten` or `Reshape` makes them
/// one). Dense layers, PReLU and Softmax need the flat `[batch, features]` form; the
/// elementwise activations take any shape.
///
/// Work and memory stay proportional to the file: the constants the nodes read are charged
/// to a budget of one value per byte of the file (an initializer shared by many nodes is
/// decoded for each, so sharing could otherwise multiply a file's size without bound), and
/// bias Adds update the open dense layer in place.
struct LayerTranslator {
    /// A Gemm or MatMul whose bias later Adds may still change.
    struct OpenDense {
        var inputs: Int
        var outputs: Int
        var weights: [Double]
        var bias: [Double]
        var label: String
    }

    let context: GraphContext
    let precision: ONNXModel.Precision
    var features: [Int]
    var layers: [LayerDescription] = []
    /// The parameter values of `layers`, in ``Networks/Architecture/parameterLayout`` order.
    var values: [Double] = []
    var endsWithSoftmax = false
    /// A leading `Sub` → `Div` by constants.
    var inputScaling: ONNXModel.InputScaling?
    var openDense: OpenDense?
    /// The chain position of the latest Gemm, MatMul or bias Add, which a following `Add`
    /// may add to.
    var denseNode: Int?
    private var valueBudget: Int

    init(context: GraphContext, precision: ONNXModel.Precision, features: [Int], byteCount: Int) {
        self.context = context
        self.precision = precision
        self.features = features
        valueBudget = byteCount
    }

    var file: String { context.file }

    /// Features per sample: the product of the feature dimensions.
    var width: Int { features.reduce(1, *) }

    /// Maps every node of `chain` (node indices in chain order) to layers.
    mutating func translate(_ chain: [Int]) throws(ONNXError) {
        var position = 0
        while position < chain.count {
            let index = chain[position]
            let node = context.graph.node[index]
            let label = context.label(index)
            let attributes = try NodeAttributes(
                node, node: label, allowed: SupportedOperators.attributes[node.opType] ?? [:], file: file)
            try checkDataInput(node, label: label)
            var consumed = 1
            if node.opType != "Add" { try closeDense() }
            switch node.opType {
            case let spelling where node.domain == FormulaActivations.domain:
                append(FormulaActivations.members[spelling]!)
            case "Gelu":
                let form = try attributes.string("approximate", default: "none", allowed: ["none", "tanh"])
                append(.gelu(GELU(approximation: form == "tanh" ? .tanh : .none)))
            case "Mish":
                append(.mish)
            case "Erf":
                throw .unsupportedOperator(
                    file: file, operator: "Erf", node: label,
                    detail: "Erf is read only inside GELU's formula, Mul(Mul(x, Add(Erf(Mul(x, √½)), 1)), ½)")
            case "Gemm":
                openDense = try gemm(node, index: index, attributes: attributes)
                denseNode = position
            case "MatMul":
                openDense = try matMul(node, index: index)
                denseNode = position
            case "Add":
                try addBias(node, index: index, follows: denseNode == position - 1)
                denseNode = position
            case "Mul":
                append(try scaledSoftplus(chain, at: position))
                consumed = 3
            case "Sub" where position == 0:
                inputScaling = try scaling(chain)
                consumed = 2
            case "Sub":
                throw .unsupportedOperator(
                    file: file, operator: "Sub", node: label,
                    detail: "Sub is read only as the input scaling, Sub → Div by constants before the first layer")
            case "Div":
                throw .unsupportedOperator(
                    file: file, operator: "Div", node: label,
                    detail: "Div is read only in Mul → Softplus → Div, a softplus with β ≠ 1, and in the input scaling Sub → Div")
            case "LeakyRelu":
                let alpha = decimalValue(try attributes.float("alpha", default: 0.01))
                append(try activation(label, parameter: "alpha") { () throws(ActivationError) in try .leakyReLU(negativeSlope: alpha) })
            case "Elu":
                let alpha = decimalValue(try attributes.float("alpha", default: 1))
                append(try activation(label, parameter: "alpha") { () throws(ActivationError) in try .elu(alpha: alpha) })
            case "Selu":
                let alpha = try attributes.float("alpha", default: Float(SELU.alpha))
                let gamma = try attributes.float("gamma", default: Float(SELU.lambda))
                guard alpha == Float(SELU.alpha), gamma == Float(SELU.lambda) else {
                    throw .unsupportedOperator(
                        file: file, operator: "Selu", node: label,
                        detail: "Selu is read only with SELU's alpha and gamma (the defaults), got \(alpha) and \(gamma)")
                }
                append(.selu)
            case let op where ActivationOperators.members[op] != nil:
                append(ActivationOperators.members[op]!)
            case "PRelu":
                let slopes = try preluSlopes(node, index: index)
                do {
                    layers.append(.prelu(try PReLUOptions(shared: slopes.count == 1 && width > 1), width: width))
                } catch {
                    throw .invalidGraph(file: file, detail: error.description)
                }
                values += slopes
            case "Softmax":
                try softmax(attributes, label: label, isLast: position == chain.count - 1)
            case "Flatten":
                flattenImage()
                try flatten(attributes, label: label)
            case "Conv":
                try convolution(node, index: index, attributes: attributes)
            case "MaxPool", "AveragePool":
                try pooling(node, index: index, attributes: attributes)
            case "GlobalAveragePool":
                try globalAveragePooling(label: label)
            case "BatchNormalization":
                try batchNormalization(node, index: index, attributes: attributes)
            case "Dropout":
                try dropout(node, index: index)
            case "Reshape":
                try reshape(node, index: index, attributes: attributes)
            default:
                throw .unsupportedOperator(
                    file: file, operator: node.opType, node: label, detail: "supported: \(SupportedOperators.names)")
            }
            position += consumed
        }
        try closeDense()
    }

    /// The input scaling of a chain starting `Sub(input, offset) → Div(·, scale)`, each
    /// constant one value or one per feature.
    private mutating func scaling(_ chain: [Int]) throws(ONNXError) -> ONNXModel.InputScaling {
        let graph = context.graph
        let sub = graph.node[chain[0]]
        guard chain.count > 1, graph.node[chain[1]].opType == "Div", sub.input.count == 2,
            graph.node[chain[1]].input.count == 2, context.isConstant(sub.input[1]),
            context.isConstant(graph.node[chain[1]].input[1]), !context.isConstant(graph.node[chain[1]].input[0])
        else {
            throw .unsupportedOperator(
                file: file, operator: "Sub", node: context.label(chain[0]),
                detail: "Sub is read only as the input scaling, Sub(input, constant) → Div(·, constant)")
        }
        let offset = try floatingConstant(sub.input[1], node: chain[0]).values
        let scale = try floatingConstant(graph.node[chain[1]].input[1], node: chain[1]).values
        guard offset.count == 1 || features.count == 1 else {
            throw .shapeMismatch(
                file: file, node: context.label(chain[0]), detail: "a per-feature input scaling needs a flat [batch, features] input")
        }
        return try shapeChecked(at: context.label(chain[0])) { try ONNXModel.InputScaling(offset: offset, scale: scale, width: width) }
    }

    /// `body`'s value; what it throws becomes ``ONNXError/shapeMismatch(file:node:detail:)`` at `node`.
    func shapeChecked<T>(at node: String, _ body: () throws -> T) throws(ONNXError) -> T {
        do { return try body() } catch { throw .shapeMismatch(file: file, node: node, detail: "\(error)") }
    }

    /// The constant `name` that node `index` reads, as values of the model's precision,
    /// charged to the budget before it is decoded.
    mutating func floatingConstant(_ name: String, node index: Int) throws(ONNXError) -> (shape: [Int], values: [Double]) {
        let tensor = try context.constant(name, node: index)
        try charge(try tensor.checkedShape(file: file).count)
        return try tensor.floatingValues(precision, file: file)
    }

    /// As ``floatingConstant(_:node:)`` for an `INT64` constant.
    mutating func integerConstant(_ name: String, node index: Int) throws(ONNXError) -> (shape: [Int], values: [Int64]) {
        let tensor = try context.constant(name, node: index)
        try charge(try tensor.checkedShape(file: file).count)
        return try tensor.integerValues(file: file)
    }

    /// Takes `count` values off the budget.
    mutating func charge(_ count: Int) throws(ONNXError) {
        valueBudget -= count
        guard valueBudget >= 0 else {
            throw .invalidGraph(
                file: file,
                detail: "the nodes read more parameter values than the file's size allows (one per byte); is one large initializer read by many nodes?")
        }
    }

    /// The running value must be the node's first input (either input of `Add` and `Mul`,
    /// which commute).
    private func checkDataInput(_ node: Onnx_NodeProto, label: String) throws(ONNXError) {
        let position = node.input.firstIndex { !$0.isEmpty && !context.isConstant($0) }
        guard position == 0 || node.opType == "Add" || node.opType == "Mul" else {
            throw .notAChain(
                file: file,
                detail: "node \(label) reads the running value as input \(position.map(String.init) ?? "?") of \(node.opType); it must be the first")
        }
    }

    /// Appends `activation` over the running width.
    mutating func append(_ activation: Activation) {
        layers.append(.activation(activation, width: width))
    }

    /// A member of the family made from a file's parameters; its own check, should it
    /// fail, names the node.
    func activation(_ label: String, parameter: String, _ make: () throws(ActivationError) -> Activation) throws(ONNXError) -> Activation {
        do {
            return try make()
        } catch {
            throw .invalidAttribute(file: file, node: label, attribute: parameter, detail: error.description)
        }
    }

    // MARK: - Shapes

    /// Throws unless the running value is `[batch, features]`.
    func requireFlat(_ label: String, _ what: String) throws(ONNXError) {
        guard features.count == 1 else {
            throw .shapeMismatch(
                file: file, node: label,
                detail: "\(what) needs a flat [batch, features] input, got [batch, \(features.map(String.init).joined(separator: ", "))]; add a Flatten first")
        }
    }

    /// The number of elements a constant has when it is a single value (`[]`, `[1]`,
    /// `[1, 1]`) or a row of `count` values (`[count]`, `[1, count]`); nil otherwise (ranks
    /// above 2 would change the running value's rank).
    static func broadcastCount(_ shape: [Int], rowOf count: Int) -> Int? {
        guard shape.count <= 2 else { return nil }
        let nonUnit = shape.filter { $0 != 1 }
        if nonUnit.isEmpty { return 1 }
        guard nonUnit.count == 1, shape.last == nonUnit[0], nonUnit[0] == count else { return nil }
        return count
    }

    private mutating func softmax(_ attributes: NodeAttributes, label: String, isLast: Bool) throws(ONNXError) {
        guard isLast else {
            throw .unsupportedOperator(
                file: file, operator: "Softmax", node: label, detail: "Softmax is supported only as the last operation")
        }
        try requireFlat(label, "Softmax")
        _ = try attributes.integer("axis", default: -1, allowed: [1, -1])
        endsWithSoftmax = true
    }

    private mutating func flatten(_ attributes: NodeAttributes, label: String) throws(ONNXError) {
        let rank = Int64(features.count + 1)
        _ = try attributes.integer("axis", default: 1, allowed: [1, 1 - rank])
        features = [width]
    }

    private mutating func reshape(_ node: Onnx_NodeProto, index: Int, attributes: NodeAttributes) throws(ONNXError) {
        let label = context.label(index)
        let allowZero = try attributes.integer("allowzero", default: 0, allowed: [0, 1])
        guard node.input.count == 2 else {
            throw .shapeMismatch(file: file, node: label, detail: "Reshape needs its data and a constant target shape")
        }
        let (shape, target) = try integerConstant(node.input[1], node: index)
        if shape.count == 1, try reshapeToImage(target, label: label, allowZero: allowZero) { return }
        let expected = "[-1, \(width)], [0, \(width)] or [0, -1]"
        guard shape.count == 1, target.count == 2 else {
            throw .shapeMismatch(file: file, node: label, detail: "Reshape target \(target) must be \(expected): a flat [batch, features]")
        }
        // The batch entry: 0 copies it (unless allowzero), -1 infers it; the feature entry:
        // the width, -1, or 0 copying an input that is already flat.
        let batchKept = target[0] == -1 || (target[0] == 0 && allowZero == 0)
        let featuresKept = target[1] == Int64(width) || (target[1] == -1 && target[0] != -1)
            || (target[1] == 0 && allowZero == 0 && features.count == 1)
        guard batchKept, featuresKept else {
            throw .shapeMismatch(file: file, node: label, detail: "Reshape target \(target) must be \(expected): a flat [batch, features]")
        }
        features = [width]
    }

    private mutating func preluSlopes(_ node: Onnx_NodeProto, index: Int) throws(ONNXError) -> [Double] {
        let label = context.label(index)
        guard node.input.count == 2 else {
            throw .shapeMismatch(file: file, node: label, detail: "PRelu needs its data and a constant slope")
        }
        let (shape, slopes) = try floatingConstant(node.input[1], node: index)
        if slopes.count == 1, shape.count <= 1 + features.count { return slopes }
        try requireFlat(label, "PRelu with one slope per unit")
        guard Self.broadcastCount(shape, rowOf: width) == width else {
            throw .shapeMismatch(file: file, node: label, detail: "PRelu slope of shape \(shape) for \(width) units (allowed: [1], [\(width)], [1, \(width)])")
        }
        return slopes
    }
}

/// A float attribute as the shortest decimal that rounds to it, read as a `Double`: 0.01
/// stored as a 32-bit float comes back as 0.01, not 0.009999999776.
func decimalValue(_ value: Float) -> Double {
    Double("\(value)") ?? Double(value)
}
