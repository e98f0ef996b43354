import Activations
import Interchange
import Networks
import Runtime

/// Every activation the ONNX writer maps, with non-default parameters where it has them.
let exportedActivations: [Activation] = [
    .identity, .relu, try! .leakyReLU(negativeSlope: 0.01), try! .leakyReLU(negativeSlope: 0.2), .abs,
    .softplus, try! .softplus(beta: 2.5), .sigmoid, .tanh,
]

/// A seeded network `inputs → hidden (activation) → [PReLU] → outputs`, with values that are
/// exact `Float`s (so a float32 network keeps them all) unless `precision` is float64.
func sampleNetwork(
    _ activation: Activation, inputs: Int = 4, hidden: Int = 5, outputs: Int = 3,
    precision: PortableNetwork.Precision = .float32, prelu: [Double]? = nil, softmax: Bool = false, seed: UInt64 = 1
) throws -> PortableNetwork {
    var generator = SeededGenerator(seed: seed)
    func values(_ count: Int) -> [Double] {
        (0..<count).map { _ in
            let value = Double.random(in: -1...1, using: &generator)
            return precision == .float32 ? Double(Float(value)) : value
        }
    }
    var layers: [PortableNetwork.Layer] = [
        .dense(try .init(inputs: inputs, outputs: hidden, weights: values(inputs * hidden), bias: values(hidden))),
        .activation(activation),
    ]
    if let prelu { layers.append(.prelu(slopes: prelu)) }
    layers.append(.dense(try .init(inputs: hidden, outputs: outputs, weights: values(hidden * outputs), bias: values(outputs))))
    return try PortableNetwork(inputSize: inputs, layers: layers, precision: precision, endsWithSoftmax: softmax)
}

/// A fixed batch: `rows × width` values spread over [−3, 3] (both signs, so every kink and
/// branch is exercised), exact in `Float`.
func sampleBatch(rows: Int, width: Int, seed: UInt64 = 99) -> [Double] {
    var generator = SeededGenerator(seed: seed)
    return (0..<(rows * width)).map { _ in Double(Float(Double.random(in: -3...3, using: &generator))) }
}
