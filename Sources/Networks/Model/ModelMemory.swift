import Activations

extension Sequential {
    /// The bytes a model of `architecture` holds once made and used for prediction: its
    /// parameters and their gradients, and the passes' buffers (values and gradients) for
    /// ``predictionChunk`` rows of every layer; nil when the count overflows `Int`.
    ///
    /// Check it with ``MemoryBudget/require(_:for:)`` before making a model whose sizes come
    /// from a file or the command line.
    public static func requiredBytes(for architecture: Architecture) -> Int? {
        let scalar = MemoryLayout<Scalar>.size
        var widths: Int? = 0
        for layer in architecture.layers { widths = MemoryBudget.sum(widths, layer.outputSize) }
        return MemoryBudget.sum(
            MemoryBudget.product(architecture.parameterLayout.count, 2, scalar),
            widths.flatMap { MemoryBudget.product($0, 2, predictionChunk, scalar) })
    }
}
