import ArgumentParser
import Experiments
import Networks

/// `rectifier summary MODEL`: what a model file holds, as Keras' `model.summary()`.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a model's layers, parameter counts, input shape, input scaling and classes.")

    @Argument(help: ArgumentHelp("A model file: .safetensors (float or int8) or .onnx.", valueName: "model"))
    var model: String

    func run() throws {
        print(Self.text(try ModelLoading.load(at: model)))
    }

    static func text(_ loaded: LoadedModel) -> String {
        let data = loaded.data
        var lines = ["\(loaded.path): \(data.task.rawValue), \(data.inputSize) inputs, \(data.outputSize) outputs"]
        lines.append("input shape: [\(data.inputShape.map(String.init).joined(separator: ", "))]"
            + (data.featureNames.map { "; CSV columns " + list($0) } ?? ""))
        let scaling = data.preprocessing
        switch scaling.kind {
        case .none: lines.append("preprocessing: none")
        case .scale255: lines.append("preprocessing: scale255 (x / 255)")
        case .standardize:
            lines.append("preprocessing: standardize ((x − mean) / standard deviation per feature of the training split)")
            lines.append("  mean: " + list(scaling.offset.map { "\($0)" }))
            lines.append("  standard deviation: " + list(scaling.scale.map { "\($0)" }))
        }
        if data.task == .classification { lines.append("classes (\(data.classes.count)): " + list(data.classes)) }
        guard let architecture = loaded.architecture else {
            lines.append("layers: an int8 network (`rectifier evaluate` runs it; the layer list is in the float file)")
            return lines.joined(separator: "\n")
        }
        let trained = architecture.parameterLayout.parameters.filter(\.trainable)
        let counts = trained.reduce(into: [Int: Int]()) { counts, parameter in
            if let index = parameter.name.split(separator: ".").dropFirst().first.flatMap({ Int($0) }) {
                counts[index, default: 0] += parameter.count
            }
        }
        let table = ResultTable(
            title: "layers", columns: ["layer", "kind", "output", "parameters"],
            rows: architecture.layers.enumerated().map { index, layer in
                [String(index), describe(layer), String(layer.outputSize), String(counts[index] ?? 0)]
            })
        lines.append(table.text)
        let statistics = architecture.parameterLayout.count - trained.reduce(0) { $0 + $1.count }
        lines.append("parameters: \(architecture.parameterLayout.count - statistics)"
            + (statistics > 0 ? " (and \(statistics) batch norm statistics)" : ""))
        if let int8 = loaded.scorer as? QuantizedClassifier {
            lines.append("int8 network: \(int8.network.byteCount) bytes (8-bit weights, 32-bit biases, batch norm folded in)")
        }
        return lines.joined(separator: "\n")
    }

    private static func describe(_ layer: LayerDescription) -> String {
        switch layer {
        case let .dense(inputs, outputs): return "dense \(inputs)→\(outputs)"
        case let .activation(activation, _): return "\(activation)"
        case .prelu: return "prelu"
        case let .convolution(layer): return "conv \(layer.input)→\(layer.output), kernel \(layer.kernelSize), stride \(layer.stride)"
        case let .maxPooling(layer): return "max pool \(layer.input)→\(layer.output), kernel \(layer.kernelSize)"
        case let .averagePooling(layer): return "average pool \(layer.input)→\(layer.output), kernel \(layer.kernelSize)"
        case let .globalAveragePooling(shape): return "global average pool \(shape)"
        case let .flatten(shape): return "flatten \(shape)"
        case let .batchNormalization(shape): return "batch norm, \(shape.channels) channels"
        case let .dropout(probability, _): return "dropout p = \(probability)"
        }
    }

    /// Up to 12 items, comma-separated, then how many more.
    private static func list(_ items: [String]) -> String {
        items.prefix(12).joined(separator: ", ") + (items.count > 12 ? ", … (\(items.count) in all)" : "")
    }
}
