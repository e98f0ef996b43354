extension Architecture {
    /// A network from a comma-separated list of hidden layers, the form of
    /// `rectifier train --layers`:
    ///
    /// | item | layer |
    /// |---|---|
    /// | `conv:CxK` | convolution, C filters of K×K, stride 1, `valid` padding (PyTorch's default) |
    /// | `conv:CxK:stride=S,pad=same` | with a stride and/or padding (`same` or `valid`) |
    /// | `maxpool:K`, `avgpool:K` | pooling, K×K windows every K values |
    /// | `gap` | global average pooling (C×H×W → C) |
    /// | `dense:N` | fully connected, N units |
    /// | `dropout:P` | inverted dropout with drop probability P ∈ [0, 1] |
    /// | `batchnorm` | batch normalisation (per channel of an image, per feature when flat) |
    ///
    /// `batchnorm` right after a `conv` or `dense` item sits between that layer and its
    /// activation (conv → batch norm → activation); anywhere else it normalises what comes
    /// before it. The hidden activation follows every convolution and dense layer; flattening is
    /// implied before the first dense layer that follows an image; a linear dense output
    /// layer of `outputSize` units ends the network. `stride=` and `pad=` items belong to the
    /// convolution before them (so `conv:32x5:stride=2,pad=same,maxpool:2` is two layers).
    ///
    /// - Throws: ``NetworkError/invalidArchitecture(field:detail:)`` naming `layers` and the
    ///   item at fault in one line: an empty list or item, an unknown kind, a size that is
    ///   not a whole number or is out of range, a kernel larger than its image.
    public static func fromLayerSpecification(
        _ specification: String, input: ImageShape, hiddenActivation: HiddenActivation, outputSize: Int
    ) throws(NetworkError) -> Architecture {
        let items = specification.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.filter { $0 != " " } }
        guard items.contains(where: { !$0.isEmpty }) else {
            throw .invalidArchitecture(field: "layers", detail: "the list is empty; e.g. conv:32x5,maxpool:2,dense:128")
        }
        var builder = Builder(input: input, activation: hiddenActivation)
        var index = 0
        while index < items.count {
            var item = items[index]
            index += 1
            // A convolution's options may continue past commas.
            while item.hasPrefix("conv:"), index < items.count,
                items[index].hasPrefix("stride=") || items[index].hasPrefix("pad=")
            {
                item += "," + items[index]
                index += 1
            }
            do {
                try builder.add(item)
            } catch {
                guard case let .invalidArchitecture(field, detail) = error else { throw error }
                throw .invalidArchitecture(
                    field: "layers item '\(item)'", detail: field == "layers" ? detail : "\(field): \(detail)")
            }
        }
        try builder.addDense(outputSize, hidden: false)
        return try Architecture(layers: builder.layers)
    }

    private struct Builder {
        var layers: [LayerDescription] = []
        /// The current image; nil once the values are flat.
        var image: ImageShape?
        var width: Int
        let activation: HiddenActivation

        init(input: ImageShape, activation: HiddenActivation) {
            image = input
            width = input.count
            self.activation = activation
        }

        mutating func add(_ item: String) throws(NetworkError) {
            let parts = item.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            switch (parts[0], parts.count) {
            case ("", _):
                throw .invalidArchitecture(field: "layers", detail: "empty item")
            case ("conv", 2...):
                let sizes = parts[1].split(separator: "x", omittingEmptySubsequences: false).map(String.init)
                guard sizes.count == 2 else {
                    throw .invalidArchitecture(field: "conv", detail: "expected conv:CxK, e.g. conv:32x5")
                }
                var stride = 1, padding = ConvolutionPadding.valid
                if parts.count == 3 {
                    for option in parts[2].split(separator: ",", omittingEmptySubsequences: false) {
                        let pair = option.split(separator: "=", maxSplits: 1).map(String.init)
                        switch (pair.first, pair.count) {
                        case ("stride", 2): stride = try Self.number(pair[1], "stride")
                        case ("pad", 2):
                            guard let value = ConvolutionPadding(rawValue: pair[1]) else {
                                throw .invalidArchitecture(field: "pad", detail: "'\(pair[1])' is not same or valid")
                            }
                            padding = value
                        default:
                            throw .invalidArchitecture(field: "conv", detail: "unknown option '\(option)'; expected stride=S or pad=same|valid")
                        }
                    }
                }
                guard let image else {
                    throw .invalidArchitecture(field: "conv", detail: "comes after the values were flattened")
                }
                let geometry = try Convolution2D(
                    input: image, outputChannels: try Self.number(sizes[0], "filters"),
                    kernelSize: try Self.number(sizes[1], "kernel size"), stride: stride, padding: padding)
                append(.convolution(geometry), image: geometry.output)
                appendActivation()
            case ("maxpool", 2), ("avgpool", 2):
                guard let image else {
                    throw .invalidArchitecture(field: parts[0], detail: "comes after the values were flattened")
                }
                let geometry = try Pooling2D(input: image, kernelSize: try Self.number(parts[1], "kernel size"))
                append(parts[0] == "maxpool" ? .maxPooling(geometry) : .averagePooling(geometry), image: geometry.output)
            case ("gap", 1):
                guard let image else {
                    throw .invalidArchitecture(field: "gap", detail: "comes after the values were flattened")
                }
                append(.globalAveragePooling(image), image: nil)
            case ("dense", 2):
                try addDense(try Self.number(parts[1], "units"), hidden: true)
            case ("dropout", 2):
                guard let probability = Double(parts[1]) else {
                    throw .invalidArchitecture(field: "dropout", detail: "'\(parts[1])' is not a probability")
                }
                try Dropout.validate(probability: probability)
                append(.dropout(probability: probability, width: width), image: image)
            case ("batchnorm", 1):
                let shape: NormalizedShape
                if let image { shape = NormalizedShape(image: image) } else { shape = try NormalizedShape(features: width) }
                // Right after a convolution or dense layer: between it and its activation.
                let previous = layers.count >= 2 ? layers[layers.count - 2] : nil
                if layers.last?.isActivation == true, previous?.hasWeights == true {
                    layers.insert(.batchNormalization(shape), at: layers.count - 1)
                } else {
                    append(.batchNormalization(shape), image: image)
                }
            default:
                throw .invalidArchitecture(
                    field: "layers",
                    detail: "unknown layer; expected conv:CxK[:stride=S,pad=same|valid], maxpool:K, avgpool:K, gap, dense:N, dropout:P or batchnorm")
            }
        }

        mutating func addDense(_ units: Int, hidden: Bool) throws(NetworkError) {
            guard (1...Architecture.maximumWidth).contains(units) else {
                throw .invalidArchitecture(field: "units", detail: "\(units) is not allowed (1…\(Architecture.maximumWidth))")
            }
            if let image, !layers.isEmpty { append(.flatten(image), image: nil) }
            image = nil
            append(.dense(inputs: width, outputs: units), image: nil)
            if hidden { appendActivation() }
        }

        private mutating func append(_ layer: LayerDescription, image: ImageShape?) {
            layers.append(layer)
            self.image = image
            width = layer.outputSize
        }

        private mutating func appendActivation() {
            switch activation {
            case .fixed(let member): layers.append(.activation(member, width: width))
            case .prelu(let options): layers.append(.prelu(options, width: width))
            }
        }

        static func number(_ text: String, _ name: String) throws(NetworkError) -> Int {
            guard let value = Int(text) else {
                throw .invalidArchitecture(field: name, detail: "'\(text)' is not a whole number")
            }
            guard (1...Architecture.maximumWidth).contains(value) else {
                throw .invalidArchitecture(field: name, detail: "\(value) is not allowed (1…\(Architecture.maximumWidth))")
            }
            return value
        }
    }
}
