import Activations
import Runtime

extension Sequential {
    /// The bytes a model of `architecture` holds once made and used for prediction: its
    /// parameters, their gradients and (inference on packed weights) up to two copies of them, the passes' buffers (values and gradients) for
    /// ``predictionChunk`` rows of every layer, and the largest convolution scratch on every
    /// processor; nil when the count overflows `Int`.
    ///
    /// Check it with ``MemoryBudget/require(_:for:)`` before making a model whose sizes come
    /// from a file or the command line.
    public static func requiredBytes(for architecture: Architecture) -> Int? {
        let scalar = MemoryLayout<Scalar>.size
        return MemoryBudget.sum(
            MemoryBudget.product(architecture.parameterLayout.count, 4, scalar),
            architecture.valuesPerSample.flatMap { MemoryBudget.product($0, 2, predictionChunk, scalar) },
            architecture.convolutionScratch.flatMap { MemoryBudget.product($0, scalar) })
    }
}

extension Architecture {
    /// The largest convolution scratch (``Convolution2D/scratchCount(threads:)``, or a
    /// ``ConvolutionBlock``'s when larger) with one thread per processor, in scalars; 0 without
    /// convolutions, nil on overflow.
    var convolutionScratch: Int? {
        var largest = 0
        for case let .convolution(geometry) in layers {
            guard let count = geometry.scratchCount(threads: Execution.processorCount),
                let block = MemoryBudget.product(
                    ConvolutionBlock.scratchPerThread(geometry) ?? -1, Execution.processorCount)
            else { return nil }
            largest = Swift.max(largest, count, block)
        }
        return largest
    }

    /// Σ of the layers' output widths (twice for dropout: its mask): the values one sample's forward pass makes, which
    /// the passes' buffers hold per row (once for values, once for gradients); nil when the
    /// sum overflows `Int`.
    public var valuesPerSample: Int? {
        var total: Int? = 0
        for layer in layers {
            total = MemoryBudget.sum(total, layer.outputSize)
            // A dropout layer's mask.
            if case .dropout = layer { total = MemoryBudget.sum(total, layer.outputSize) }
        }
        return total
    }
}
