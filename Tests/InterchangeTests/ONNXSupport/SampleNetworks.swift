import Activations
import Interchange
import Networks
import Runtime

/// Every activation the ONNX writer maps and the reader reads back, with non-default
/// parameters where it has them.
let exportedActivations: [Activation] = [
    .identity, .relu, try! .leakyReLU(negativeSlope: 0.01), try! .leakyReLU(negativeSlope: 0.2), .abs,
    .softplus, try! .softplus(beta: 2.5), .sigmoid, .tanh, .elu, try! .elu(alpha: 0.5), .selu,
] + writtenOutActivations

/// The members opset 13 has no operator for, written out as their formulas (x is read more
/// than once; the reader recognises the formulas).
let writtenOutActivations: [Activation] = [.gelu, .gelu(GELU(approximation: .tanh)), .silu, .mish]

/// A model of `layers` (in `Double`) with the given parameter tensors, by name.
func doubleModel(_ layers: [LayerDescription], _ tensors: [String: [Double]]) throws -> Sequential<Double> {
    let model = Sequential<Double>(architecture: try Architecture(layers: layers))
    for (name, values) in tensors { try model.parameters.setTensor(named: name, to: values) }
    return model
}

/// A seeded network `inputs → hidden (activation) → [PReLU] → outputs`, with values that are
/// exact `Float`s (so a float32 network keeps them all) unless `precision` is float64.
func sampleNetwork(
    _ activation: Activation, inputs: Int = 4, hidden: Int = 5, outputs: Int = 3,
    precision: ONNXModel.Precision = .float32, prelu: [Double]? = nil, softmax: Bool = false, seed: UInt64 = 1
) throws -> ONNXModel {
    var layers: [LayerDescription] = [.dense(inputs: inputs, outputs: hidden), .activation(activation, width: hidden)]
    if let prelu { layers.append(.prelu(try PReLUOptions(shared: prelu.count == 1), width: hidden)) }
    layers.append(.dense(inputs: hidden, outputs: outputs))
    let model = Sequential<Double>(architecture: try Architecture(layers: layers))
    var generator = SeededGenerator(seed: seed)
    for info in model.parameters.layout.parameters {
        let values = info.name.hasSuffix("slopes") ? prelu! : (0..<info.count).map { _ in
            let value = Double.random(in: -1...1, using: &generator)
            return precision == .float32 ? Double(Float(value)) : value
        }
        try model.parameters.setTensor(named: info.name, to: values)
    }
    return try ONNXModel(model, precision: precision, endsWithSoftmax: softmax)
}

/// A fixed batch: `rows × width` values spread over [−3, 3] (both signs, so every kink and
/// branch is exercised), exact in `Float`.
func sampleBatch(rows: Int, width: Int, seed: UInt64 = 99) -> [Double] {
    var generator = SeededGenerator(seed: seed)
    return (0..<(rows * width)).map { _ in Double(Float(Double.random(in: -3...3, using: &generator))) }
}

extension ONNXModel {
    /// The layers of the model.
    var layers: [LayerDescription] { model.architecture.layers }

    /// The activation members among the layers, in order.
    var activations: [Activation] {
        layers.compactMap { if case .activation(let member, _) = $0 { member } else { nil } }
    }

    /// The parameter tensor `name`.
    func tensor(_ name: String) throws -> [Double] { try model.parameters.tensor(named: name) }

    /// ``outputs(_:)`` of `rows` flat rows.
    func reference(_ values: [Double], rows: Int) throws -> [Double] {
        try outputs(Matrix(rows: rows, columns: model.inputSize, scalars: values)).scalars
    }
}
