import Activations
import Quantization
import Runtime

/// Why an int8 model file could not be read or written.
public enum QuantizedModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The safetensors layer refused the file (unreadable, malformed, a missing tensor, a
    /// wrong dtype).
    case safeTensors(SafeTensorsError)
    /// `rectifier.format` is missing or not `int8` (e.g. a float checkpoint).
    case notInt8(file: String, format: String?)
    /// A metadata field or tensor holds something an int8 model cannot be made of.
    case invalid(file: String, field: String, detail: String)
    /// The file is larger than the memory available to read it.
    case insufficientMemory(MemoryError)

    public var description: String {
        switch self {
        case .safeTensors(let error): return error.description
        case let .notInt8(file, format):
            return "\(file): rectifier.format is \(format.map { "'\($0)'" } ?? "missing"), an int8 model needs 'int8'"
                + " (make one with `rectifier quantize`)"
        case let .invalid(file, field, detail): return "\(file): \(field): \(detail)"
        case let .insufficientMemory(error): return error.description
        }
    }

    /// `error` as this type: itself, the safetensors layer's refusal, or any other failure
    /// as ``invalid(file:field:detail:)`` of `field`.
    static func wrapping(_ error: any Error, file: String, field: String) -> QuantizedModelFileError {
        switch error {
        case let error as QuantizedModelFileError: error
        case let error as SafeTensorsError: .safeTensors(error)
        default: .invalid(file: file, field: field, detail: "\(error)")
        }
    }
}

/// Typed reads of the tensors of an int8 model file; remembers which were read, so tensors
/// no layer uses can be refused.
final class TensorReader {
    let file: SafeTensors
    private(set) var used: Set<String> = []

    init(file: SafeTensors) {
        self.file = file
    }

    func tensor(_ name: String, shape: [Int]? = nil) throws -> SafeTensors.Tensor {
        let tensor = try file.tensor(named: name)
        used.insert(name)
        if let shape, tensor.shape != shape {
            throw QuantizedModelFileError.invalid(
                file: file.source, field: name, detail: "shape \(tensor.shape), expected \(shape)")
        }
        return tensor
    }

    func scalar(_ name: String) throws -> Float {
        try tensor(name, shape: [1]).floats()[0]
    }

    func scalar(_ name: String) throws -> Int32 {
        try tensor(name, shape: [1]).int32s()[0]
    }

    func parameters(_ prefix: String) throws -> QuantizationParameters {
        try QuantizationParameters(scale: try scalar(prefix + "_scale"), zeroPoint: try scalar(prefix + "_zero_point"))
    }

    /// Layer `name` with the activation spelled `spelling` ("logits" for the last layer).
    func dense(_ name: String, spelling: String, input: QuantizationParameters) throws -> QuantizedDense {
        let weight = try tensor(name + ".weight")
        guard weight.shape.count == 2 else {
            throw QuantizedModelFileError.invalid(
                file: file.source, field: name + ".weight", detail: "shape \(weight.shape), expected [out, in]")
        }
        let units = weight.shape[0], inputs = weight.shape[1]
        let weights = try QuantizedWeights(
            values: try weight.int8s(), scales: try tensor(name + ".weight_scale", shape: [units]).floats(),
            outputs: units, inputs: inputs)
        let bias = try tensor(name + ".bias", shape: [units]).int32s()
        guard spelling != "logits" else {
            return try QuantizedDense(weights: weights, quantizedBias: bias, input: input, output: .logits)
        }
        let output = try parameters(name + ".output")
        let activation: QuantizedActivation
        switch spelling {
        case "identity": activation = .identity
        case "prelu": activation = .prelu(slopes: try tensor(name + ".slopes").doubles())
        default:
            let function: Activation
            do {
                function = try Activation(parsing: spelling)
            } catch {
                throw QuantizedModelFileError.invalid(
                    file: file.source, field: "rectifier.activations", detail: error.description)
            }
            let preActivation: QuantizationParameters
            switch function {
            case .abs, .softplus, .sigmoid, .tanh, .gelu, .silu, .elu, .selu, .mish: preActivation = try parameters(name + ".pre_activation")
            case .identity, .relu, .leakyReLU: preActivation = output
            }
            activation = QuantizedActivation(function, preActivation: preActivation, output: output)
        }
        return try QuantizedDense(
            weights: weights, quantizedBias: bias, input: input, output: .codes(output, activation: activation))
    }
}
