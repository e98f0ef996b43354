import Networks

/// The image layers as ai.onnx nodes (NCHW, as Rectifier's batches): the flat input
/// `[batch, C·H·W]` is `Reshape`d to `[batch, C, H, W]` before the first one;
///
/// | layer | nodes |
/// |---|---|
/// | convolution | `Conv` (weight `[OC, C, K, K]`, bias; `kernel_shape`, `strides`, `pads`) |
/// | max / average pooling | `MaxPool` / `AveragePool` (`kernel_shape`, `strides`) |
/// | global average pooling | `GlobalAveragePool` → `Flatten` |
/// | flatten | `Flatten` (axis 1) |
/// | batch norm | `BatchNormalization` (weight, bias, running mean and variance; ε = 10⁻⁵) |
/// | dropout | `Dropout` with its ratio (the identity in inference) |
extension ModelWriter {
    /// `Reshape` of the running value to the first layer's image, when it takes one.
    mutating func reshapeInput(_ current: inout String) {
        guard let image = network.model.architecture.layers.first?.inputShape else { return }
        let shape = [-1, image.channels, image.height, image.width].map { Int64($0) }
        graph.initializer.append(.initializer("input.image_shape", .int64, shape: [4], shape.map { UInt64(bitPattern: $0) }))
        graph.addNode("Reshape", "input.reshape", inputs: [current, "input.image_shape"], output: "input.image")
        current = "input.image"
    }

    /// The nodes of image layer `layer` (a convolution, pooling, flatten, batch norm or
    /// dropout layer) from `input` to `output`, taking its tensors from `parameters`.
    mutating func addImageLayer(
        _ layer: LayerDescription, prefix: String, input: String, output: String,
        parameters: inout IndexingIterator<[ParameterInfo]>
    ) {
        switch layer {
        case let .convolution(geometry):
            for info in [parameters.next()!, parameters.next()!] { addInitializer(info) }
            graph.addNode(
                "Conv", prefix, inputs: [input, prefix + ".weight", prefix + ".bias"], output: output,
                attributes: .window(geometry))
        case let .maxPooling(geometry), let .averagePooling(geometry):
            let op: String
            if case .maxPooling = layer { op = "MaxPool" } else { op = "AveragePool" }
            graph.addNode(op, prefix, inputs: [input], output: output, attributes: .window(geometry))
        case .globalAveragePooling:
            graph.addNode("GlobalAveragePool", prefix, inputs: [input], output: prefix + ".pooled")
            graph.addNode("Flatten", prefix + ".flatten", inputs: [prefix + ".pooled"], output: output,
                          attributes: [.integer("axis", 1)])
        case .flatten:
            graph.addNode("Flatten", prefix, inputs: [input], output: output, attributes: [.integer("axis", 1)])
        case .batchNormalization:
            let tensors = (0..<5).map { _ in parameters.next()! }
            for info in tensors.prefix(4) { addInitializer(info) }
            graph.addNode(
                "BatchNormalization", prefix, inputs: [input] + tensors.prefix(4).map(\.name), output: output,
                attributes: [.float("epsilon", Float(BatchNormalization.defaultEpsilon))])
        case let .dropout(probability, _):
            graph.initializer.append(Self.tensor(prefix + ".ratio", shape: [], values: [probability], precision: network.precision))
            graph.addNode("Dropout", prefix, inputs: [input, prefix + ".ratio"], output: output)
        case .dense, .activation, .prelu:
            preconditionFailure("addImageLayer: \(layer) is not an image layer")
        }
    }
}

extension [Onnx_AttributeProto] {
    /// A convolution's `kernel_shape`, `strides` and `pads` (top, left, bottom, right).
    static func window(_ geometry: Convolution2D) -> Self {
        let pads = [geometry.padTop, geometry.padLeft, geometry.padBottom, geometry.padRight].map { Int64($0) }
        return window(height: geometry.kernelSize, width: geometry.kernelSize, stride: geometry.stride) + [.integers("pads", pads)]
    }

    /// A pooling window's `kernel_shape` and `strides`.
    static func window(_ geometry: Pooling2D) -> Self {
        window(height: geometry.kernelSize, width: geometry.kernelSize, stride: geometry.stride)
    }

    static func window(height: Int, width: Int, stride: Int) -> Self {
        [.integers("kernel_shape", [Int64(height), Int64(width)]), .integers("strides", [Int64(stride), Int64(stride)])]
    }
}

extension Onnx_AttributeProto {
    /// An `INTS` attribute.
    static func integers(_ name: String, _ values: [Int64]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .ints
        attribute.ints = values
        return attribute
    }
}
