import Networks
import Runtime

/// The image operators, read into image layers over the running `[batch, C, H, W]` value:
/// `Conv` (square kernel, equal strides, no dilation or groups, padding all zero (`valid`)
/// or as ``Networks/ConvolutionPadding/same`` splits it), `MaxPool` and `AveragePool`
/// (square, no padding, floor mode), `GlobalAveragePool`, `BatchNormalization` (inference,
/// ε = 10⁻⁵ as PyTorch's) and `Dropout` (inference; its ratio kept for training). A
/// `Reshape` of a flat value to `[batch, C, H, W]` starts an image; `Flatten` ends one.
extension LayerTranslator {
    /// The running image; throws unless the value is `[batch, C, H, W]`.
    func requireImage(_ label: String, _ op: String) throws(ONNXError) -> ImageShape {
        guard features.count == 3 else {
            throw .shapeMismatch(
                file: file, node: label,
                detail: "\(op) needs a [batch, C, H, W] input, got [batch, \(features.map(String.init).joined(separator: ", "))]")
        }
        return try shapeChecked(at: label) { try ImageShape(channels: features[0], height: features[1], width: features[2]) }
    }

    /// A square kernel and equal strides, no dilation, and padding that is `valid` or
    /// `same`: (kernel, stride, padding).
    /// A Conv's kernel may be left to its weight's shape (`inferredKernel`).
    private func window(
        _ attributes: NodeAttributes, label: String, op: String, size: ImageShape, inferredKernel: Int64? = nil
    ) throws(ONNXError) -> (Int, Int, ConvolutionPadding) {
        func refuse(_ attribute: String, _ detail: String) -> ONNXError {
            .invalidAttribute(file: file, node: label, attribute: attribute, detail: detail)
        }
        guard let kernel = attributes.integers("kernel_shape") ?? inferredKernel.map({ [$0, $0] }), kernel.count == 2, kernel[0] == kernel[1],
            (1...Int64(Int32.max)).contains(kernel[0])
        else { throw refuse("kernel_shape", "\(op) needs a square kernel [K, K]") }
        let strides = attributes.integers("strides") ?? [1, 1]
        guard strides.count == 2, strides[0] == strides[1], (1...Int64(Int32.max)).contains(strides[0]) else {
            throw refuse("strides", "must be [S, S] with S ≥ 1, got \(strides)")
        }
        guard (attributes.integers("dilations") ?? [1, 1]) == [1, 1] else { throw refuse("dilations", "must be [1, 1]") }
        let autoPad = attributes.string("auto_pad") ?? "NOTSET"
        guard autoPad == "NOTSET" || autoPad == "VALID" else {
            throw refuse("auto_pad", "is \(autoPad); supported: NOTSET (with explicit pads) and VALID")
        }
        let (k, s) = (Int(kernel[0]), Int(strides[0]))
        let pads = attributes.integers("pads") ?? [0, 0, 0, 0]
        if pads.allSatisfy({ $0 == 0 }) { return (k, s, .valid) }
        guard op == "Conv", let same = try? Convolution2D(
            input: size, outputChannels: 1, kernelSize: k, stride: s, padding: .same)
        else { throw refuse("pads", "\(op) is read without padding, got \(pads)") }
        let expected = [same.padTop, same.padLeft, same.padBottom, same.padRight].map { Int64($0) }
        guard pads == expected else {
            throw refuse("pads", "\(pads) is neither zero nor 'same' padding \(expected)")
        }
        return (k, s, .same)
    }

    mutating func convolution(_ node: Onnx_NodeProto, index: Int, attributes: NodeAttributes) throws(ONNXError) {
        let label = context.label(index)
        let image = try requireImage(label, "Conv")
        guard try attributes.integer("group", default: 1, allowed: [1]) == 1, node.input.count >= 2 else {
            throw .shapeMismatch(file: file, node: label, detail: "Conv needs its data, a constant weight and optionally a bias")
        }
        let (shape, weights) = try floatingConstant(node.input[1], node: index)
        let square = shape.count == 4 && shape[2] == shape[3] ? Int64(shape[2]) : nil
        let (k, s, padding) = try window(attributes, label: label, op: "Conv", size: image, inferredKernel: square)
        guard shape.count == 4, shape[1] == image.channels, shape[2] == k, shape[3] == k else {
            throw .shapeMismatch(file: file, node: label, detail: "Conv weight of shape \(shape) for \(image.channels) channels and kernel \(k) (expected [OC, \(image.channels), \(k), \(k)])")
        }
        let geometry = try shapeChecked(at: label) {
            try Convolution2D(input: image, outputChannels: shape[0], kernelSize: k, stride: s, padding: padding)
        }
        var bias = [Double](repeating: 0, count: shape[0])
        if node.input.count > 2, !node.input[2].isEmpty {
            let (biasShape, values) = try floatingConstant(node.input[2], node: index)
            guard biasShape == [shape[0]] else {
                throw .shapeMismatch(file: file, node: label, detail: "Conv bias of shape \(biasShape) for \(shape[0]) filters")
            }
            bias = values
        }
        layers.append(.convolution(geometry))
        values += weights + bias
        features = [geometry.output.channels, geometry.output.height, geometry.output.width]
    }

    mutating func pooling(_ node: Onnx_NodeProto, index: Int, attributes: NodeAttributes) throws(ONNXError) {
        let label = context.label(index)
        let image = try requireImage(label, node.opType)
        _ = try attributes.integer("ceil_mode", default: 0, allowed: [0])
        _ = try attributes.integer("storage_order", default: 0, allowed: [0])
        _ = try attributes.integer("count_include_pad", default: 0, allowed: [0, 1])
        let (k, s, _) = try window(attributes, label: label, op: node.opType, size: image)
        let geometry = try shapeChecked(at: label) { try Pooling2D(input: image, kernelSize: k, stride: s) }
        layers.append(node.opType == "MaxPool" ? .maxPooling(geometry) : .averagePooling(geometry))
        features = [geometry.output.channels, geometry.output.height, geometry.output.width]
    }

    mutating func globalAveragePooling(label: String) throws(ONNXError) {
        let image = try requireImage(label, "GlobalAveragePool")
        layers.append(.globalAveragePooling(image))
        features = [image.channels, 1, 1]
    }

    /// Appends a flatten layer when `Flatten` ends an image that image layers made.
    mutating func flattenImage() {
        guard features.count == 3, layers.contains(where: { $0.inputShape != nil }),
            let image = try? ImageShape(channels: features[0], height: features[1], width: features[2])
        else { return }
        if case .globalAveragePooling = layers.last { return }
        layers.append(.flatten(image))
    }

    mutating func batchNormalization(_ node: Onnx_NodeProto, index: Int, attributes: NodeAttributes) throws(ONNXError) {
        let label = context.label(index)
        _ = try attributes.integer("training_mode", default: 0, allowed: [0])
        _ = try attributes.float("momentum", default: 0.9)
        let epsilon = try attributes.float("epsilon", default: 1e-5)
        guard epsilon == Float(BatchNormalization.defaultEpsilon) else {
            throw .invalidAttribute(file: file, node: label, attribute: "epsilon", detail: "is \(epsilon); supported: 1e-05 (PyTorch's)")
        }
        guard features.count == 3 || features.count == 1, node.input.count == 5 else {
            throw .shapeMismatch(file: file, node: label, detail: "BatchNormalization needs [batch, C(, H, W)] data and four constant [C] tensors")
        }
        let shape: NormalizedShape
        if features.count == 3 {
            shape = NormalizedShape(image: try requireImage(label, "BatchNormalization"))
        } else {
            shape = try shapeChecked(at: label) { try NormalizedShape(features: width) }
        }
        var tensors: [Double] = []
        for (position, name) in ["scale", "bias", "mean", "variance"].enumerated() {
            let (tensorShape, values) = try floatingConstant(node.input[position + 1], node: index)
            guard tensorShape == [shape.channels] else {
                throw .shapeMismatch(file: file, node: label, detail: "BatchNormalization \(name) of shape \(tensorShape) for \(shape.channels) channels")
            }
            if name == "variance", let negative = values.first(where: { $0 < 0 }) {
                throw .shapeMismatch(file: file, node: label, detail: "BatchNormalization variance \(negative) is negative")
            }
            tensors += values
        }
        layers.append(.batchNormalization(shape))
        values += tensors + [0]
    }

    mutating func dropout(_ node: Onnx_NodeProto, index: Int) throws(ONNXError) {
        let label = context.label(index)
        var probability = 0.5
        if node.input.count > 1, !node.input[1].isEmpty {
            let (shape, ratio) = try floatingConstant(node.input[1], node: index)
            guard shape.isEmpty || shape == [1] else {
                throw .shapeMismatch(file: file, node: label, detail: "Dropout ratio of shape \(shape); expected a scalar")
            }
            // A float ratio as its shortest decimal: 0.3 stored as a float reads back as 0.3.
            probability = precision == .float32 ? decimalValue(Float(ratio[0])) : ratio[0]
        }
        if node.input.count > 2, !node.input[2].isEmpty {
            let tensor = try context.constant(node.input[2], node: index)
            guard tensor.int32Data.allSatisfy({ $0 == 0 }), tensor.rawData.allSatisfy({ $0 == 0 }) else {
                throw .unsupportedOperator(file: file, operator: "Dropout", node: label, detail: "Dropout is read only in inference (training_mode false)")
            }
        }
        do {
            try Dropout.validate(probability: probability)
        } catch {
            throw .invalidGraph(file: file, detail: "node \(label): \(error.description)")
        }
        layers.append(.dropout(probability: probability, width: width))
    }

    /// `Reshape` of a flat value to `[batch, C, H, W]` (target `[-1 or 0, C, H, W]`); false
    /// when the target is not four entries.
    mutating func reshapeToImage(_ target: [Int64], label: String, allowZero: Int64) throws(ONNXError) -> Bool {
        guard target.count == 4 else { return false }
        let sizes = target.dropFirst().map(Int.init)
        guard features.count == 1, target[0] == -1 || (target[0] == 0 && allowZero == 0),
            sizes.allSatisfy({ (1...Int(Int32.max)).contains($0) }),
            let product = MemoryBudget.product(sizes), product == width
        else {
            throw .shapeMismatch(file: file, node: label, detail: "Reshape target \(target) must be [-1, C, H, W] with C·H·W = \(width), from a flat value")
        }
        features = sizes
        return true
    }
}
