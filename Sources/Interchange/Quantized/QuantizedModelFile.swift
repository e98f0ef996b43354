import Activations
import Networks
import Quantization
import Runtime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An int8 model as a safetensors file: everything ``QuantizedNetwork`` needs, in the
/// integers and scales it runs on, so a loaded model gives the same logits bit for bit.
///
/// ```
/// metadata  rectifier.format       "int8"
///           rectifier.activations  JSON array, one per layer: "relu", "leaky:0.01", "prelu",
///                                  "sigmoid", …, "identity", and "logits" for the last
///           rectifier.architecture the float model's Architecture JSON (optional on read)
/// tensors   input.scale F32 [1], input.zero_point I32 [1]
///           layers.i.weight I8 [out, in], layers.i.weight_scale F32 [out], layers.i.bias I32 [out]
///             (a convolution's in is K·K·C in the order (u, v, c); a Dense layer after a
///             flattened image reads it channels last, H·W·C: see ``QuantizedStep``)
///           layers.i.output_scale F32 [1], layers.i.output_zero_point I32 [1]   (not the last)
///           layers.i.slopes F64 [out] or [1]                                     (PReLU)
///           layers.i.pre_activation_scale F32 [1], …pre_activation_zero_point I32 [1] (tables)
/// ```
/// `i` is the Dense or convolution layer's index in the float architecture when there is one
/// (`layers.0`, `layers.2`, …, as the float checkpoint names it), else the position 0, 1, … .
/// Biases are in accumulator steps (`s_in · s_j`, a batch normalisation folded in); the
/// tables are rebuilt from the activation's definition. A model with images needs the
/// architecture: its convolutions and pooling (``QuantizedNetwork/steps``) are read from it.
public enum QuantizedModelFile {
    /// The value of `rectifier.format`.
    package static let format = "int8"

    /// The file's content for `network`; `architecture` (the float model's) names the layers
    /// and is stored in the metadata.
    /// - Throws: ``QuantizedModelFileError/invalid(file:field:detail:)`` when the
    ///   architecture's Dense layers are not the network's.
    package static func contents(
        _ network: QuantizedNetwork, architecture: Architecture? = nil, metadata extra: [String: String] = [:]
    ) throws(QuantizedModelFileError) -> SafeTensors {
        let names = try layerNames(count: network.layers.count, architecture: architecture, file: "<memory>")
        guard try steps(of: architecture, file: "<memory>") ?? network.layers.map({ _ in .dense }) == network.steps else {
            throw .invalid(
                file: "<memory>", field: "rectifier.architecture",
                detail: "is needed and must be the float model's for an int8 model with convolutions or pooling")
        }
        var file = SafeTensors(metadata: extra)
        var activations: [String] = []
        do {
            file.tensors["input.scale"] = try .init([network.input.scale])
            file.tensors["input.zero_point"] = try .init([network.input.zeroPoint])
            for (layer, name) in zip(network.layers, names) {
                file.tensors[name + ".weight"] = try .init(layer.weights.values, shape: [layer.units, layer.inputs])
                file.tensors[name + ".weight_scale"] = try .init(layer.weights.scales)
                file.tensors[name + ".bias"] = try .init(layer.bias)
                guard case .codes(let output, let activation) = layer.output else {
                    activations.append("logits")
                    continue
                }
                file.tensors[name + ".output_scale"] = try .init([output.scale])
                file.tensors[name + ".output_zero_point"] = try .init([output.zeroPoint])
                switch activation {
                case .identity: activations.append("identity")
                case .relu: activations.append("relu")
                case .leakyReLU(let slope): activations.append(try Activation.leakyReLU(negativeSlope: slope).description)
                case .prelu(let slopes):
                    activations.append("prelu")
                    file.tensors[name + ".slopes"] = try .init(slopes)
                case .table(let table):
                    activations.append(table.activation.description)
                    file.tensors[name + ".pre_activation_scale"] = try .init([table.input.scale])
                    file.tensors[name + ".pre_activation_zero_point"] = try .init([table.input.zeroPoint])
                }
            }
        } catch {
            throw .invalid(file: "<memory>", field: "tensors", detail: "\(error)")
        }
        file.metadata["rectifier.format"] = format
        file.metadata["rectifier.activations"] = jsonArray(activations)
        if let architecture { file.metadata["rectifier.architecture"] = architecture.jsonString }
        return file
    }

    /// Writes ``contents(_:architecture:metadata:)`` to `path` atomically.
    /// - Throws: ``QuantizedModelFileError/safeTensors(_:)`` when writing fails, and the
    ///   errors of ``contents(_:architecture:metadata:)``.
    public static func save(
        _ network: QuantizedNetwork, architecture: Architecture? = nil, metadata: [String: String] = [:],
        to path: String
    ) throws(QuantizedModelFileError) {
        do {
            try contents(network, architecture: architecture, metadata: metadata).write(to: path)
        } catch {
            throw .wrapping(error, file: path, field: "file")
        }
    }

    /// Reads an int8 model file.
    /// - Throws: ``QuantizedModelFileError/safeTensors(_:)`` for an unreadable file or a
    ///   missing tensor or wrong dtype; ``QuantizedModelFileError/notInt8(file:format:)`` when
    ///   `rectifier.format` is not `int8`; ``QuantizedModelFileError/invalid(file:field:detail:)``
    ///   for bad metadata or parameters, or a tensor no layer uses (names the field).
    public static func load(_ path: String) throws(QuantizedModelFileError)
        -> (network: QuantizedNetwork, architecture: Architecture?)
    {
        try load(contents: SafeTensors.read(
            budgeted: path, memory: QuantizedModelFileError.insufficientMemory, file: QuantizedModelFileError.safeTensors))
    }

    /// Reads the content of an int8 model file (see ``load(_:)``).
    package static func load(contents file: SafeTensors) throws(QuantizedModelFileError)
        -> (network: QuantizedNetwork, architecture: Architecture?)
    {
        let source = file.source
        guard file.metadata["rectifier.format"] == format else {
            throw .notInt8(file: source, format: file.metadata["rectifier.format"])
        }
        var architecture: Architecture? = nil
        if let json = file.metadata["rectifier.architecture"] {
            do {
                architecture = try Architecture(json: json)
            } catch {
                throw .invalid(file: source, field: "rectifier.architecture", detail: error.description)
            }
        }
        guard let text = file.metadata["rectifier.activations"],
            let activations = try? JSONDecoder().decode([String].self, from: Data(text.utf8)), !activations.isEmpty
        else {
            throw .invalid(file: source, field: "rectifier.activations", detail: "must be a JSON array of activation names")
        }
        let names = try layerNames(count: activations.count, architecture: architecture, file: source)
        let reader = TensorReader(file: file)
        do {
            let input = try QuantizationParameters(
                scale: try reader.scalar("input.scale"), zeroPoint: try reader.scalar("input.zero_point"))
            var parameters = input
            var layers: [QuantizedDense] = []
            for (name, spelling) in zip(names, activations) {
                let layer = try reader.dense(name, spelling: spelling, input: parameters)
                if let next = layer.outputParameters { parameters = next }
                layers.append(layer)
            }
            if let unused = Set(file.tensors.keys).subtracting(reader.used).sorted().first {
                throw QuantizedModelFileError.invalid(
                    file: source, field: unused, detail: "no layer of rectifier.activations uses this tensor")
            }
            let steps = try steps(of: architecture, file: source)
            return (try QuantizedNetwork(input: input, layers: layers, steps: steps), architecture)
        } catch {
            throw .wrapping(error, file: source, field: "layers")
        }
    }

    /// The steps of a model with images, nil for a perceptron (one dense step per layer).
    private static func steps(of architecture: Architecture?, file: String)
        throws(QuantizedModelFileError) -> [QuantizedStep]?
    {
        guard let architecture, architecture.layers.contains(where: { $0.inputShape != nil }) else { return nil }
        do {
            return try QuantizedNetwork.steps(of: architecture)
        } catch {
            throw .invalid(file: file, field: "rectifier.architecture", detail: error.description)
        }
    }

    /// The Dense and convolution layers' names: their indices in the architecture, or 0, 1, …
    /// without one.
    private static func layerNames(count: Int, architecture: Architecture?, file: String)
        throws(QuantizedModelFileError) -> [String]
    {
        guard let architecture else { return (0..<count).map { "layers.\($0)" } }
        let dense = architecture.layers.indices.filter {
            switch architecture.layers[$0] {
            case .dense, .convolution: return true
            default: return false
            }
        }
        guard dense.count == count else {
            throw .invalid(
                file: file, field: "rectifier.architecture",
                detail: "has \(dense.count) Dense and convolution layers, the int8 model \(count)")
        }
        return dense.map { "layers.\($0)" }
    }

    private static func jsonArray(_ strings: [String]) -> String {
        // Encoding an array of strings cannot fail.
        String(decoding: try! JSONEncoder().encode(strings), as: UTF8.self)
    }
}
