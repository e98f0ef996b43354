import Activations
import Networks
import Runtime
import Testing

/// The image layers' backward passes against central finite differences in Double, their
/// forward passes against definitions written out loop by loop.
@Suite struct ImageLayerGradientTests {
    static func random(_ count: Int, _ generator: inout SeededGenerator, in range: ClosedRange<Double> = -1...1) -> [Double] {
        var values = [Double](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { generator.fillUniform($0, lower: range.lowerBound, upper: range.upperBound) }
        return values
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Convolution geometries: odd and even kernels, strides 1–3, both paddings, images
    /// that are not square and whose size the stride does not divide.
    static let convolutions: [(channels: Int, height: Int, width: Int, filters: Int, kernel: Int, stride: Int, padding: ConvolutionPadding)] = [
        (1, 5, 5, 2, 3, 1, .valid), (2, 6, 5, 3, 3, 1, .same), (3, 7, 6, 2, 2, 2, .same),
        (2, 7, 8, 2, 3, 2, .valid), (1, 8, 7, 3, 4, 3, .same), (2, 5, 5, 1, 5, 1, .valid),
        (1, 4, 4, 2, 5, 1, .same),
    ]

    @Test(arguments: convolutions.indices)
    func convolutionMatchesDefinitionAndFiniteDifferences(index: Int) throws {
        let spec = Self.convolutions[index]
        let geometry = try Convolution2D(
            input: try ImageShape(channels: spec.channels, height: spec.height, width: spec.width),
            outputChannels: spec.filters, kernelSize: spec.kernel, stride: spec.stride, padding: spec.padding)
        let batch = 3
        var generator = SeededGenerator(seed: UInt64(10 + index))
        let parameters = Self.random(geometry.weightCount + spec.filters, &generator)
        let input = Self.random(batch * geometry.input.count, &generator)
        let weights = Self.random(batch * geometry.output.count, &generator)
        let output = ImageLayers.convolutionForward(geometry, batch: batch, parameters: parameters, input: input)
        let direct = ImageLayers.directConvolution(geometry, batch: batch, parameters: parameters, input: input)
        #expect(GradientCheck.relativeError(output, direct) <= 1e-14)

        let (parameterGradient, inputGradient) = ImageLayers.convolutionBackward(
            geometry, batch: batch, parameters: parameters, input: input, outputGradient: weights)
        let numericParameters = GradientCheck.numericGradient(parameters) {
            Self.dot(ImageLayers.directConvolution(geometry, batch: batch, parameters: $0, input: input), weights)
        }
        let numericInput = GradientCheck.numericGradient(input) {
            Self.dot(ImageLayers.directConvolution(geometry, batch: batch, parameters: parameters, input: $0), weights)
        }
        #expect(GradientCheck.relativeError(parameterGradient, numericParameters) <= 1e-8)
        #expect(GradientCheck.relativeError(inputGradient, numericInput) <= 1e-8)
    }

    @Test func convolutionOnTwoThreadsMatchesOne() throws {
        let geometry = try Convolution2D(
            input: try ImageShape(channels: 3, height: 9, width: 9), outputChannels: 4, kernelSize: 3, padding: .same)
        let batch = 5
        var generator = SeededGenerator(seed: 30)
        let parameters = Self.random(geometry.weightCount + 4, &generator)
        let input = Self.random(batch * geometry.input.count, &generator)
        let weights = Self.random(batch * geometry.output.count, &generator)
        func run(_ threads: Int) -> ([Double], [Double], [Double]) {
            Execution(threads: threads).run {
                let y = ImageLayers.convolutionForward(geometry, batch: batch, parameters: parameters, input: input)
                let (dp, dx) = ImageLayers.convolutionBackward(
                    geometry, batch: batch, parameters: parameters, input: input, outputGradient: weights)
                return (y, dp, dx)
            }
        }
        let (one, two) = (run(1), run(2))
        // The threads' runs of images group differently (5 images in one GEMM, or 3 and 2),
        // and parameter gradients are summed per thread: the same up to rounding.
        #expect(GradientCheck.relativeError(one.0, two.0) <= 1e-14)
        #expect(GradientCheck.relativeError(one.1, two.1) <= 1e-14)
        #expect(GradientCheck.relativeError(one.2, two.2) <= 1e-14)
    }

    static let pools: [(channels: Int, height: Int, width: Int, kernel: Int, stride: Int?)] = [
        (2, 4, 4, 2, nil), (1, 7, 5, 3, nil), (2, 5, 6, 3, 1), (3, 6, 6, 2, 3),
    ]

    @Test(arguments: ImageLayers.PoolKind.allCases, pools.indices)
    func poolingMatchesFiniteDifferences(kind: ImageLayers.PoolKind, index: Int) throws {
        let spec = Self.pools[index]
        let geometry = try Pooling2D(
            input: try ImageShape(channels: spec.channels, height: spec.height, width: spec.width),
            kernelSize: spec.kernel, stride: spec.stride)
        let batch = 2
        var generator = SeededGenerator(seed: UInt64(40 + index))
        // Distinct values, so every window has one maximum and the max is differentiable.
        var input = (0..<batch * geometry.input.count).map { Double($0) * 0.01 }
        input.withUnsafeMutableBufferPointer { $0.shuffle(using: &generator) }
        let outputCount = kind == .global ? spec.channels : geometry.output.count
        let weights = Self.random(batch * outputCount, &generator)
        let analytic = ImageLayers.poolBackward(kind, geometry, batch: batch, input: input, outputGradient: weights)
        let numeric = GradientCheck.numericGradient(input) {
            Self.dot(ImageLayers.poolForward(kind, geometry, batch: batch, input: $0), weights)
        }
        // Piecewise linear: the difference quotient's error is rounding alone, ε·|f|/h with
        // |f| up to a few units against gradients of 1/36.
        #expect(GradientCheck.relativeError(analytic, numeric) <= 1e-7)
    }

    @Test func poolingValuesByConstruction() throws {
        let geometry = try Pooling2D(input: try ImageShape(channels: 1, height: 2, width: 4), kernelSize: 2)
        let input: [Double] = [1, 5, -2, .nan, 3, 4, 0, 1]
        #expect(geometry.output == (try ImageShape(channels: 1, height: 1, width: 2)))
        let maxima = ImageLayers.poolForward(.max, geometry, batch: 1, input: input)
        #expect(maxima[0] == 5 && maxima[1].isNaN)
        #expect(ImageLayers.poolForward(.average, geometry, batch: 1, input: [1, 5, -2, 2, 3, 4, 0, 1]) == [3.25, 0.25])
        #expect(ImageLayers.poolForward(.global, geometry, batch: 1, input: [1, 5, -2, 2, 3, 4, 0, 3]) == [2])
        // Ties go to the first maximum; a NaN takes the gradient.
        let routed = ImageLayers.poolBackward(.max, geometry, batch: 1, input: [2, 2, 0, .nan, 2, 1, 7, 0], outputGradient: [10, 20])
        #expect(routed == [10, 0, 0, 20, 0, 0, 0, 0])
    }

    @Test(arguments: [false, true], [1, 6])
    func batchNormalizationMatchesFiniteDifferences(training: Bool, spatial: Int) {
        let channels = 3, batch = 4
        var generator = SeededGenerator(seed: training ? 50 : 51)
        let parameters = Self.random(2 * channels, &generator, in: 0.5...1.5)
        let input = Self.random(batch * channels * spatial, &generator, in: -2...3)
        let running = Self.random(channels, &generator) + Self.random(channels, &generator, in: 0.5...2)
        let weights = Self.random(input.count, &generator)
        let forward = { (p: [Double], x: [Double]) in
            ImageLayers.batchNormForward(
                channels: channels, spatial: spatial, batch: batch, parameters: p, input: x, running: running,
                training: training
            ).output
        }
        let (dp, dx) = ImageLayers.batchNormBackward(
            channels: channels, spatial: spatial, batch: batch, parameters: parameters, input: input,
            running: running, training: training, outputGradient: weights)
        let numericParameters = GradientCheck.numericGradient(parameters) { Self.dot(forward($0, input), weights) }
        let numericInput = GradientCheck.numericGradient(input) { Self.dot(forward(parameters, $0), weights) }
        #expect(GradientCheck.relativeError(dp, numericParameters) <= 1e-8)
        #expect(GradientCheck.relativeError(dx, numericInput) <= 1e-8)
    }

    @Test func batchNormalizationStatisticsByConstruction() {
        // One channel, values 1…4 (mean 2.5, biased variance 1.25, unbiased 5/3).
        let result = ImageLayers.batchNormForward(
            channels: 1, spatial: 2, batch: 2, parameters: [2, 1], input: [1, 2, 3, 4], running: [0, 1],
            training: true)
        let inverse = 1 / (1.25 + 1e-5).squareRoot()
        #expect(result.output == [1, 2, 3, 4].map { 2 * ($0 - 2.5) * inverse + 1 })
        #expect(result.running[0] == 0.25)
        #expect(abs(result.running[1] - (0.9 + 0.1 * 5 / 3)) <= 1e-15)
        let inference = ImageLayers.batchNormForward(
            channels: 1, spatial: 2, batch: 2, parameters: [2, 1], input: [1, 2, 3, 4], running: [1, 4],
            training: false)
        #expect(inference.running == [1, 4])
        let scale = 2 / (4 + 1e-5).squareRoot()
        #expect(inference.output == [1, 2, 3, 4].map { ($0 - 1) * scale + 1 })
    }

    @Test(arguments: [0.0, 0.25, 0.5, 1.0])
    func dropoutScalesKeptValuesAndRoutesGradients(probability: Double) {
        let count = 20_000
        var generator = SeededGenerator(seed: 60)
        let input = Self.random(count, &generator)
        var output = [Double](repeating: .nan, count: count), mask = output
        Dropout.trainingForward(
            probability: probability, output: &output, input: input, mask: &mask, count: count, generator: &generator)
        let kept = mask.filter { $0 != 0 }.count
        // Binomial(count, 1 − p): within 5 standard deviations.
        let expected = Double(count) * (1 - probability)
        #expect(abs(Double(kept) - expected) <= 5 * (expected * probability).squareRoot() + 1e-9)
        let factor = probability < 1 ? 1 / (1 - probability) : 0
        #expect(mask.allSatisfy { $0 == 0 || $0 == factor })
        #expect(zip(output, zip(input, mask)).allSatisfy { $0 == $1.0 * $1.1 })
        let upstream = Self.random(count, &generator)
        var gradient = [Double](repeating: .nan, count: count)
        Dropout.backward(inputGradient: &gradient, outputGradient: upstream, mask: mask, count: count)
        #expect(zip(gradient, zip(upstream, mask)).allSatisfy { $0 == $1.0 * $1.1 })
    }

    @Test func dropoutMasksFollowTheSeed() {
        func mask(_ seed: UInt64) -> [Float] {
            var generator = SeededGenerator(seed: seed)
            var output = [Float](repeating: 0, count: 64), mask = output
            Dropout.trainingForward(
                probability: 0.5, output: &output, input: [Float](repeating: 1, count: 64), mask: &mask, count: 64,
                generator: &generator)
            return mask
        }
        #expect(mask(1) == mask(1))
        #expect(mask(1) != mask(2))
    }
}
