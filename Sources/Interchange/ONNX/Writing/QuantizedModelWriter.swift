import Activations
import Networks
import Quantization
import Runtime
import SwiftProtobuf

/// Builds the ONNX model of a ``QuantizedNetwork`` from standard ai.onnx operators (opset
/// 13), integers where the network has integers:
///
/// ```
/// input (FLOAT) → QuantizeLinear(s_in, z_in) → uint8 codes → Reshape [N, C, H, W] (images)
/// dense:       [Flatten] → MatMulInteger(codes, W + 128 uint8 [in, out], z_in, 128) → acc
/// convolution: ConvInteger(codes, W + 128 uint8 OIHW, z_in, 128; pads, strides) → acc
/// either:      Add(bias int32) → Cast(FLOAT) → Mul(s_in·s_j per unit or channel) → y, the
///              real pre-activation
/// hidden:      Relu / LeakyRelu / PRelu / nothing (identity) → QuantizeLinear(s_out, z_out)
///              table members: QuantizeLinear(pre) → DequantizeLinear(pre) → Sigmoid / Tanh /
///              Softplus / Abs / … → QuantizeLinear(s_out, z_out)   (the table's two roundings)
/// max pooling: MaxPool on the uint8 codes
/// average:     ConvInteger(codes, ones [C, 1, K, K], group C) → Add(⌊n/2⌋) → Div(n) int32
///              → Cast(UINT8)                     (global: the whole image, then Flatten)
/// last:        y is the output `logits` (FLOAT)
/// ```
///
/// Images are NCHW in the graph, where Rectifier keeps them channels last: a convolution's
/// weights are written back from the im2col order (u, v, c) to OIHW, and a Dense layer after
/// a flattened image gets its columns back in C·H·W order, so ONNX's Flatten feeds it what
/// Rectifier's NHWC codes feed it. ConvInteger pads with the input zero point (real 0), as
/// Rectifier's im2col does.
///
/// The accumulators, the max pooling and the average pooling (integer sum, rounded half up
/// once) are exactly Rectifier's. Requantisation is where runtimes may differ: Rectifier
/// multiplies by a 31-bit fixed-point `M` and rounds once (ties up); ONNX Runtime rounds
/// `y / s_out` in Float (ties to even), after `y` was rounded to Float (and an accumulator
/// beyond 2^24 in the Cast). A code can differ by one where the two roundings disagree, which
/// is rare; in a perceptron the logits then differ by a step of the last layer, in a
/// convolutional network the step travels through the layers after it.
struct QuantizedModelWriter {
    private let network: QuantizedNetwork
    private let inputScaling: ONNXModel.InputScaling?
    private var graph = Onnx_GraphProto()

    static func model(
        _ network: QuantizedNetwork, inputScaling: ONNXModel.InputScaling? = nil, metadata: [String: String] = [:]
    ) -> Onnx_ModelProto {
        var writer = QuantizedModelWriter(network: network, inputScaling: inputScaling)
        writer.buildGraph()
        var model = Onnx_ModelProto.rectifier(writer.graph)
        model.metadataProps = metadata.keys.sorted().map { key in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = metadata[key]!
            return entry
        }
        return model
    }

    private init(network: QuantizedNetwork, inputScaling: ONNXModel.InputScaling?) {
        self.network = network
        self.inputScaling = inputScaling
    }

    private mutating func buildGraph() {
        graph.name = "rectifier-int8"
        graph.input = [.matrix("input", width: network.inputSize, elementType: .float)]
        var scaled = "input"
        if let inputScaling {
            let shape = inputScaling.offset.count == 1 ? [] : [inputScaling.offset.count]
            addInitializer("input.offset", .float, shape: shape, inputScaling.offset.map { Float($0).bitPattern })
            addInitializer("input.scale", .float, shape: shape, inputScaling.scale.map { Float($0).bitPattern })
            graph.addNode("Sub", "input.centre", inputs: ["input", "input.offset"], output: "input.centred")
            graph.addNode("Div", "input.rescale", inputs: ["input.centred", "input.scale"], output: "input.scaled")
            scaled = "input.scaled"
        }
        var current = quantize(scaled, network.input, prefix: "input", output: "input.codes")
        // The image the codes hold (NCHW), nil once they are flat.
        var image = network.steps[0].inputImage
        if let image {
            let shape = [-1, image.channels, image.height, image.width].map { UInt64(bitPattern: Int64($0)) }
            addInitializer("input.image_shape", .int64, shape: [4], shape)
            graph.addNode("Reshape", "input.reshape", inputs: [current, "input.image_shape"], output: "input.image")
            current = "input.image"
        }
        var index = 0
        for (position, step) in network.steps.enumerated() {
            let stepName = "steps.\(position)"
            switch step {
            case .dense:
                let layer = network.layers[index], prefix = "layers.\(index)"
                index += 1
                // The NHWC column each NCHW input reads (the same when either order is trivial).
                var column: (Int) -> Int = { $0 }
                if let shape = image {
                    graph.addNode("Flatten", prefix + ".flatten", inputs: [current], output: prefix + ".flat",
                                  attributes: [.integer("axis", 1)])
                    current = prefix + ".flat"
                    let (channels, plane) = (shape.channels, shape.planeCount)
                    column = { input in (input % plane) * channels + input / plane }
                    image = nil
                }
                // uint8 weights w + 128 with zero point 128: the same products, and ONNX Runtime's
                // u8u8 kernels widen to 16 bits, where its AVX2 u8s8 kernel (vpmaddubsw) saturates
                // pairs of products beyond ±32767 for |w| > 64.
                var transposed = [UInt8](repeating: 0, count: layer.weights.values.count)
                for unit in 0..<layer.units {
                    for input in 0..<layer.inputs {
                        transposed[input * layer.units + unit] = Self.shifted(layer.weights.values[unit * layer.inputs + column(input)])
                    }
                }
                addInitializer(prefix + ".weight", .uint8, shape: [layer.inputs, layer.units], transposed)
                current = addLayer(layer, "MatMulInteger", prefix: prefix, input: current, unitShape: [layer.units])
            case .convolution(let geometry):
                let layer = network.layers[index], prefix = "layers.\(index)"
                index += 1
                // OIHW from the im2col order O, (u, v, c).
                let (channels, k) = (geometry.input.channels, geometry.kernelSize)
                var oihw = [UInt8](repeating: 0, count: layer.weights.values.count)
                for o in 0..<layer.units {
                    for c in 0..<channels {
                        for u in 0..<k {
                            for v in 0..<k {
                                let value = layer.weights.values[o * layer.inputs + (u * k + v) * channels + c]
                                oihw[((o * channels + c) * k + u) * k + v] = Self.shifted(value)
                            }
                        }
                    }
                }
                addInitializer(prefix + ".weight", .uint8, shape: geometry.weightShape, oihw)
                current = addLayer(
                    layer, "ConvInteger", prefix: prefix, input: current, unitShape: [layer.units, 1, 1], attributes: .window(geometry))
                image = geometry.output
            case .maxPooling(let pooling):
                graph.addNode("MaxPool", stepName + ".max_pool", inputs: [current], output: stepName + ".codes", attributes: .window(pooling))
                current = stepName + ".codes"
                image = pooling.output
            case .averagePooling(let pooling):
                current = addAverage(
                    current, prefix: stepName, channels: pooling.input.channels, height: pooling.kernelSize,
                    width: pooling.kernelSize, stride: pooling.stride)
                image = pooling.output
            case .globalAveragePooling(let shape):
                let pooled = addAverage(
                    current, prefix: stepName, channels: shape.channels, height: shape.height, width: shape.width, stride: 1)
                graph.addNode("Flatten", stepName + ".flatten", inputs: [pooled], output: stepName + ".flat",
                              attributes: [.integer("axis", 1)])
                current = stepName + ".flat"
                image = nil
            }
        }
        graph.output = [.matrix("logits", width: network.outputSize, elementType: .float)]
    }

    /// `w + 128`, the uint8 form of an int8 weight with zero point 128.
    private static func shifted(_ weight: Int8) -> UInt8 {
        UInt8(Int(weight) + 128)
    }

    /// The nodes of one Dense or convolution layer after its weight initializer
    /// (`prefix.weight`): `op` (MatMulInteger or ConvInteger with `attributes`), the int32 bias,
    /// the scale per unit (both of shape `unitShape`, which broadcasts over the product), the
    /// activation and the output codes; returns the codes, or `logits` for the last layer.
    private mutating func addLayer(
        _ layer: QuantizedDense, _ op: String, prefix: String, input: String, unitShape: [Int],
        attributes: [Onnx_AttributeProto] = []
    ) -> String {
        addInitializer(prefix + ".input_zero_point", .uint8, shape: [], [UInt8(layer.input.zeroPoint)])
        addInitializer(prefix + ".weight_zero_point", .uint8, shape: [], [UInt8(128)])
        addInitializer(prefix + ".bias", .int32, shape: unitShape, layer.bias.map { UInt32(bitPattern: $0) })
        addInitializer(prefix + ".accumulator_scale", .float, shape: unitShape, layer.biasScales.map { Float($0).bitPattern })
        graph.addNode(op, prefix + (op == "ConvInteger" ? ".conv" : ".matmul"),
                      inputs: [input, prefix + ".weight", prefix + ".input_zero_point", prefix + ".weight_zero_point"],
                      output: prefix + ".product", attributes: attributes)
        graph.addNode("Add", prefix + ".bias", inputs: [prefix + ".product", prefix + ".bias"], output: prefix + ".accumulator")
        graph.addNode("Cast", prefix + ".cast", inputs: [prefix + ".accumulator"], output: prefix + ".accumulator_float",
                      attributes: [.integer("to", Int64(Onnx_TensorProto.DataType.float.rawValue))])
        let scale = [prefix + ".accumulator_float", prefix + ".accumulator_scale"]
        guard case .codes(let output, let activation) = layer.output else {
            graph.addNode("Mul", prefix + ".scale", inputs: scale, output: "logits")
            return "logits"
        }
        graph.addNode("Mul", prefix + ".scale", inputs: scale, output: prefix + ".pre_activation")
        let activated = addActivation(activation, prefix: prefix, input: prefix + ".pre_activation", unitShape: unitShape)
        return quantize(activated, output, prefix: prefix + ".output", output: prefix + ".codes")
    }

    /// Average pooling of `channels`-channel NCHW codes over `height × width` windows every
    /// `stride`, exactly as Rectifier rounds it: the integer sum of each window (a grouped
    /// ConvInteger with a kernel of ones), `(sum + ⌊n/2⌋) / n` in int32 (the sums are ≥ 0, so
    /// the division truncates down), cast back to uint8; returns the codes.
    private mutating func addAverage(
        _ input: String, prefix: String, channels: Int, height: Int, width: Int, stride: Int
    ) -> String {
        let count = height * width
        addInitializer(prefix + ".ones", .uint8, shape: [channels, 1, height, width], repeatElement(UInt8(1), count: channels * count))
        addInitializer(prefix + ".half", .int32, shape: [], [UInt32(count / 2)])
        addInitializer(prefix + ".count", .int32, shape: [], [UInt32(count)])
        graph.addNode("ConvInteger", prefix + ".sum", inputs: [input, prefix + ".ones"], output: prefix + ".sum",
                      attributes: [Onnx_AttributeProto].window(height: height, width: width, stride: stride) + [.integer("group", Int64(channels))])
        graph.addNode("Add", prefix + ".round", inputs: [prefix + ".sum", prefix + ".half"], output: prefix + ".rounding")
        graph.addNode("Div", prefix + ".divide", inputs: [prefix + ".rounding", prefix + ".count"], output: prefix + ".mean")
        graph.addNode("Cast", prefix + ".cast", inputs: [prefix + ".mean"], output: prefix + ".codes",
                      attributes: [.integer("to", Int64(Onnx_TensorProto.DataType.uint8.rawValue))])
        return prefix + ".codes"
    }

    /// The activation on real values (PReLU's slopes shaped `unitShape`, or `[1]` when shared);
    /// returns the name of its output.
    private mutating func addActivation(
        _ activation: QuantizedActivation, prefix: String, input: String, unitShape: [Int]
    ) -> String {
        let output = prefix + ".activation"
        var member: Activation
        var source = input
        switch activation {
        case .identity:
            return input
        case .relu:
            member = .relu
        case .leakyReLU(let slope):
            // QuantizedDense refuses a non-finite slope, so the member is always made.
            member = (try? .leakyReLU(negativeSlope: slope)) ?? .identity
        case .prelu(let slopes):
            addInitializer(prefix + ".slopes", .float, shape: slopes.count == 1 ? [1] : unitShape, slopes.map { Float($0).bitPattern })
            graph.addNode("PRelu", prefix + ".prelu", inputs: [input, prefix + ".slopes"], output: output)
            return output
        case .table(let table):
            let codes = quantize(input, table.input, prefix: prefix + ".pre_activation", output: prefix + ".pre_codes")
            graph.addNode("DequantizeLinear", prefix + ".dequantize",
                          inputs: [codes, prefix + ".pre_activation_scale", prefix + ".pre_activation_zero_point"],
                          output: prefix + ".pre_values")
            member = table.activation
            source = prefix + ".pre_values"
        }
        graph.addActivation(member, input: source, output: output, names: .init(layer: prefix, activation: member)) { name, beta in
            .initializer(name, .float, shape: [], [Float(beta).bitPattern])
        }
        return output
    }

    /// QuantizeLinear of `input` with `parameters` (initializers `prefix_scale`, `prefix_zero_point`).
    private mutating func quantize(
        _ input: String, _ parameters: QuantizationParameters, prefix: String, output: String
    ) -> String {
        addInitializer(prefix + "_scale", .float, shape: [], [parameters.scale.bitPattern])
        addInitializer(prefix + "_zero_point", .uint8, shape: [], [UInt8(parameters.zeroPoint)])
        graph.addNode("QuantizeLinear", prefix + ".quantize", inputs: [input, prefix + "_scale", prefix + "_zero_point"], output: output)
        return output
    }

    private mutating func addInitializer<Values: Collection>(
        _ name: String, _ type: Onnx_TensorProto.DataType, shape: [Int], _ values: Values
    ) where Values.Element: FixedWidthInteger {
        graph.initializer.append(.initializer(name, type, shape: shape, values))
    }
}

extension QuantizedNetwork {
    /// The int8 network as ONNX bytes (QuantizeLinear, MatMulInteger, ConvInteger, pooling and
    /// the activations' operators, opset 13; see the layout in ``QuantizedModelWriter``):
    /// input `input` `[batch, inputSize]` FLOAT (an image flattened as C·H·W, as the float
    /// model takes it), output `logits` `[batch, outputSize]` FLOAT. The same network always
    /// gives the same bytes. O(parameter count).
    public func onnxBytes(inputScaling: ONNXModel.InputScaling? = nil, metadata: [String: String] = [:]) -> [UInt8] {
        // Cannot fail: the subset has no required fields and no `Any`.
        try! QuantizedModelWriter.model(self, inputScaling: inputScaling, metadata: metadata).serializedBytes()
    }

    /// Writes ``onnxBytes(inputScaling:metadata:)`` atomically (temp file + rename).
    /// - Throws: ``ONNXError/writeFailed(_:)``; the previous file, if any, is left as it was.
    public func writeONNX(
        to path: String, inputScaling: ONNXModel.InputScaling? = nil, metadata: [String: String] = [:]
    ) throws(ONNXError) {
        do {
            try AtomicFile.write(onnxBytes(inputScaling: inputScaling, metadata: metadata), to: path)
        } catch {
            throw .writeFailed(error)
        }
    }
}
