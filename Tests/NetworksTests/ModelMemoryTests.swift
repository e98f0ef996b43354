import Activations
import Networks
import Testing

/// Architectures whose sizes cannot be held are refused before anything is allocated, and
/// `Sequential.requiredBytes(for:)` counts what a model holds.
@Suite struct ModelMemoryTests {
    @Test(arguments: [
        ([Int.max], "hidden sizes"), ([Architecture.maximumWidth + 1], "hidden sizes"), ([1 << 40, 8], "hidden sizes"),
    ])
    func widthsBeyondBLASAreRefused(hidden: [Int], field: String) {
        let error = #expect(throws: NetworkError.self) {
            try Architecture.multilayerPerceptron(
                inputSize: 4, hiddenSizes: hidden, hiddenActivation: .fixed(.relu), outputSize: 2)
        }
        #expect(error?.description.contains(field) == true, "\(String(describing: error))")
    }

    @Test func theLargestWidthIsAccepted() throws {
        let widest = try Architecture.multilayerPerceptron(
            inputSize: 1, hiddenSizes: [Architecture.maximumWidth], hiddenActivation: .fixed(.relu), outputSize: 1)
        // weights 1·w + bias w, then w·1 + 1: 3w + 1, well inside Int.
        #expect(widest.parameterLayout.count == 3 * Architecture.maximumWidth + 1)
    }

    /// Three layers of 2³¹ − 1 square weights each hold (2³¹ − 1)² ≈ 2⁶² parameters: their
    /// sum overflows Int, the pair does not.
    @Test func aParameterCountThatOverflowsIsRefused() throws {
        let width = Architecture.maximumWidth
        let pair: [LayerDescription] = [.dense(inputs: width, outputs: width), .dense(inputs: width, outputs: width)]
        #expect(try Architecture(layers: pair).parameterLayout.count == 2 * (width * width + width))
        let error = #expect(throws: NetworkError.self) {
            try Architecture(layers: pair + [.dense(inputs: width, outputs: width)])
        }
        #expect(error == .invalidArchitecture(
            field: "parameters", detail: "the layer sizes give more parameters than a 64-bit count holds"))
        let wide = #expect(throws: NetworkError.self) {
            try Architecture(layers: [.dense(inputs: 3, outputs: width + 1)])
        }
        #expect(wide?.description.contains("layers.0") == true)
    }

    /// 2-3-1 with a ReLU: 2·3 + 3 + 3·1 + 1 = 13 parameters (values, gradients and the two
    /// copies of inference on packed weights), and the
    /// outputs of its three layers, 3 + 3 + 1 = 7 per row, for 1024 rows (values and gradients).
    @Test func requiredBytesCountParametersAndPasses() throws {
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: 2, hiddenSizes: [3], hiddenActivation: .fixed(.relu), outputSize: 1)
        #expect(architecture.valuesPerSample == 7)
        #expect(Sequential<Float>.predictionChunk == 1024)
        #expect(Sequential<Float>.requiredBytes(for: architecture) == 13 * 4 * 4 + 7 * 2 * 1024 * 4)
        #expect(Sequential<Double>.requiredBytes(for: architecture) == 13 * 4 * 8 + 7 * 2 * 1024 * 8)
        let width = Architecture.maximumWidth
        let huge = try Architecture(layers: [.dense(inputs: width, outputs: width), .dense(inputs: width, outputs: width)])
        #expect(Sequential<Double>.requiredBytes(for: huge) == nil)
    }
}
