import Activations
import Networks

extension PortableNetwork {
    /// The portable form of a model: its layers in order with their parameters, in the
    /// model's precision (`Float` → `.float32`, `Double` → `.float64`).
    ///
    /// ```swift
    /// try PortableNetwork(model).writeONNX(to: "model.onnx")
    /// ```
    ///
    /// - Parameters:
    ///   - endsWithSoftmax: also give `probabilities`, a softmax of the logits, in ONNX.
    /// - Complexity: O(parameter count).
    /// - Throws: ``ONNXError/invalidNetwork(detail:)`` when a parameter is NaN or infinite.
    public init<Scalar: ActivationScalar>(_ model: Sequential<Scalar>, endsWithSoftmax: Bool = false) throws(ONNXError) {
        func values(_ name: String) throws(ONNXError) -> [Double] {
            do {
                return try model.parameters.tensor(named: name).map(Double.init)
            } catch {
                throw .invalidNetwork(detail: error.description)
            }
        }
        var layers: [Layer] = []
        for (index, layer) in model.architecture.layers.enumerated() {
            switch layer {
            case let .dense(inputs, outputs):
                layers.append(.dense(try Dense(
                    inputs: inputs, outputs: outputs, weights: try values("layers.\(index).weight"),
                    bias: try values("layers.\(index).bias"))))
            case let .activation(activation, _):
                layers.append(.activation(activation))
            case .prelu:
                layers.append(.prelu(slopes: try values("layers.\(index).slopes")))
            }
        }
        try self.init(
            inputSize: model.inputSize, layers: layers, precision: Scalar.self == Float.self ? .float32 : .float64,
            endsWithSoftmax: endsWithSoftmax)
    }

    /// The Rectifier architecture of the network: a multi-layer perceptron (with its
    /// summary of hidden sizes and activation) when the layers are Dense, then one
    /// activation or PReLU, alternating, ending with a Dense; otherwise the plain layer
    /// list. PReLU layers with one slope are shared unless the width is 1.
    ///
    /// - Throws: ``ONNXError/invalidNetwork(detail:)`` when Networks refuses the layers.
    public func architecture() throws(ONNXError) -> Architecture {
        var descriptions: [LayerDescription] = []
        var width = inputSize
        for layer in layers {
            switch layer {
            case .dense(let dense):
                descriptions.append(.dense(inputs: dense.inputs, outputs: dense.outputs))
                width = dense.outputs
            case .activation(let activation):
                descriptions.append(.activation(activation, width: width))
            case .prelu(let slopes):
                do {
                    descriptions.append(.prelu(try PReLUOptions(shared: slopes.count == 1 && width > 1), width: width))
                } catch {
                    throw .invalidNetwork(detail: error.description)
                }
            }
        }
        do {
            if let perceptron = try perceptron(descriptions) { return perceptron }
            return try Architecture(layers: descriptions)
        } catch {
            throw .invalidNetwork(detail: error.description)
        }
    }

    /// The same layers built as a perceptron, when they are one.
    private func perceptron(_ descriptions: [LayerDescription]) throws(NetworkError) -> Architecture? {
        guard descriptions.count >= 3, descriptions.count % 2 == 1 else { return nil }
        let hidden = stride(from: 0, to: descriptions.count - 1, by: 2).map { descriptions[$0].outputSize }
        let activation: HiddenActivation
        switch descriptions[1] {
        case .activation(let member, _): activation = .fixed(member)
        case .prelu(let options, _): activation = .prelu(options)
        case .dense: return nil
        }
        let candidate = try Architecture.multilayerPerceptron(
            inputSize: inputSize, hiddenSizes: hidden, hiddenActivation: activation, outputSize: outputSize)
        return candidate.layers == descriptions ? candidate : nil
    }
}

extension Sequential {
    /// A model with the network's architecture (see ``PortableNetwork/architecture()``) and
    /// parameters, converted to `Scalar` (rounded to nearest for a float64 network in a
    /// `Float` model). The model gives the logits: a network's final softmax
    /// (``PortableNetwork/endsWithSoftmax``) is not part of it.
    ///
    /// ```swift
    /// let model = try Sequential<Float>(try PortableNetwork(contentsOfONNXFile: "model.onnx"))
    /// ```
    ///
    /// - Complexity: O(parameter count).
    /// - Throws: ``ONNXError/invalidNetwork(detail:)`` when Networks refuses the layers.
    public convenience init(_ network: PortableNetwork) throws(ONNXError) {
        self.init(architecture: try network.architecture())
        do {
            for (index, layer) in network.layers.enumerated() {
                switch layer {
                case .dense(let dense):
                    try parameters.setTensor(named: "layers.\(index).weight", to: dense.weights.map { Scalar($0) })
                    try parameters.setTensor(named: "layers.\(index).bias", to: dense.bias.map { Scalar($0) })
                case .prelu(let slopes):
                    try parameters.setTensor(named: "layers.\(index).slopes", to: slopes.map { Scalar($0) })
                case .activation:
                    break
                }
            }
        } catch {
            throw .invalidNetwork(detail: error.description)
        }
    }
}
