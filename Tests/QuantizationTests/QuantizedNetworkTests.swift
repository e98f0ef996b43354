import Activations
import Networks
import Quantization
import Runtime
import Testing

@Suite struct QuantizedNetworkTests {
    /// A random network of `widths` (input first) with `activation` on every hidden layer.
    static func randomNetwork(
        widths: [Int], activation: Activation, using generator: inout SeededGenerator
    ) throws -> QuantizedNetwork {
        let input = try QuantizationParameters(scale: 1 / 255, zeroPoint: 0)
        var parameters = input
        var layers: [QuantizedDense] = []
        for index in 0..<widths.count - 1 {
            let inputs = widths[index], units = widths[index + 1]
            let scale = 1 / Float(inputs).squareRoot()
            let weights = try QuantizedWeights(
                quantizing: (0..<units * inputs).map { _ in Float.random(in: -scale...scale, using: &generator) },
                outputs: units, inputs: inputs, precision: index % 2 == 0 ? .bits8 : .bits7)
            let bias = (0..<units).map { _ in Float.random(in: -0.1...0.1, using: &generator) }
            if index == widths.count - 2 {
                layers.append(try QuantizedDense(weights: weights, bias: bias, input: parameters, output: .logits))
                break
            }
            let preActivation = try QuantizationParameters(covering: -2...2)
            let output = activation.isPiecewiseLinear
                ? try QuantizationParameters(covering: activation.value(Float(-2))...2)
                : try ActivationTable.outputParameters(for: activation, input: preActivation)
            let fused = QuantizedActivation(activation, preActivation: preActivation, output: output)
            layers.append(try QuantizedDense(
                weights: weights, bias: bias, input: parameters, output: .codes(output, activation: fused)))
            parameters = output
        }
        return try QuantizedNetwork(input: input, layers: layers)
    }

    @Test(arguments: [
        Activation.relu, .sigmoid, .tanh, .softplus, try! .leakyReLU(negativeSlope: 0.1),
        .gelu, .gelu(GELU(approximation: .tanh)), .silu, .elu, .selu, .mish,
    ])
    func logitsEqualTheScalarReference(_ activation: Activation) throws {
        var generator = SeededGenerator(seed: 16)
        for _ in 0..<6 {
            let widths = [Int.random(in: 1...70, using: &generator), Int.random(in: 1...40, using: &generator),
                          Int.random(in: 1...30, using: &generator), Int.random(in: 1...12, using: &generator)]
            let network = try Self.randomNetwork(widths: widths, activation: activation, using: &generator)
            let rows = Int.random(in: 1...40, using: &generator)
            let codes = randomCodes(rows * widths[0], using: &generator)
            var reference = [Float](repeating: 0, count: rows * network.outputSize)
            codes.withUnsafeBufferPointer { input in
                reference.withUnsafeMutableBufferPointer { network.referenceLogits(codes: input, rows: rows, into: $0) }
            }
            for path in IntegerGEMM.Path.allCases {
                var fast = [Float](repeating: .nan, count: rows * network.outputSize)
                codes.withUnsafeBufferPointer { input in
                    fast.withUnsafeMutableBufferPointer { network.logits(codes: input, rows: rows, into: $0, path: path) }
                }
                #expect(fast == reference, "\(activation) \(path) \(widths) rows \(rows)")
            }
        }
    }

    @Test func batchesLargerThanAChunkGiveTheSameRows() throws {
        var generator = SeededGenerator(seed: 17)
        let network = try Self.randomNetwork(widths: [20, 16, 5], activation: .relu, using: &generator)
        let rows = QuantizedNetwork.chunkRows + 37
        let codes = randomCodes(rows * 20, using: &generator)
        var all = [Float](repeating: 0, count: rows * 5)
        codes.withUnsafeBufferPointer { input in
            all.withUnsafeMutableBufferPointer { network.logits(codes: input, rows: rows, into: $0) }
        }
        for row in [0, 1023, 1024, rows - 1] {
            var one = [Float](repeating: 0, count: 5)
            Array(codes[row * 20..<(row + 1) * 20]).withUnsafeBufferPointer { input in
                one.withUnsafeMutableBufferPointer { network.logits(codes: input, rows: 1, into: $0) }
            }
            #expect(Array(all[row * 5..<(row + 1) * 5]) == one)
        }
    }

    /// Large enough to be split over threads in blocks claimed as they finish: every row
    /// equals the scalar reference whatever the thread count, rows not a multiple of a block.
    @Test func batchesSplitOverThreadsEqualTheReference() throws {
        var generator = SeededGenerator(seed: 19)
        let network = try Self.randomNetwork(widths: [301, 70, 10], activation: .relu, using: &generator)
        let rows = 203
        let codes = randomCodes(rows * 301, using: &generator)
        var reference = [Float](repeating: 0, count: rows * 10)
        codes.withUnsafeBufferPointer { input in
            reference.withUnsafeMutableBufferPointer { network.referenceLogits(codes: input, rows: rows, into: $0) }
        }
        for threads in [1, 2, 3] {
            var logits = [Float](repeating: .nan, count: rows * 10)
            Execution(threads: threads).run {
                codes.withUnsafeBufferPointer { input in
                    logits.withUnsafeMutableBufferPointer { network.logits(codes: input, rows: rows, into: $0) }
                }
            }
            #expect(logits == reference, "\(threads) threads")
        }
    }

    @Test func floatFeaturesAreQuantisedWithTheInputParameters() throws {
        var generator = SeededGenerator(seed: 18)
        let network = try Self.randomNetwork(widths: [12, 8, 3], activation: .relu, using: &generator)
        let codes = randomCodes(5 * 12, using: &generator)
        // Pixels as Float p/255 come back as exactly the codes p.
        let features = codes.map { Float($0) / 255 }
        var expected = [Float](repeating: 0, count: 15)
        codes.withUnsafeBufferPointer { input in
            expected.withUnsafeMutableBufferPointer { network.logits(codes: input, rows: 5, into: $0) }
        }
        #expect(try network.logits(features) == expected)
        #expect(try network.logits([]) == [])
        #expect(throws: QuantizationError.self) { try network.logits([Float](repeating: 0, count: 13)) }
        #expect(throws: QuantizationError.self) { try network.logits([Float](repeating: .nan, count: 12)) }
    }

    @Test func predictedClassesTakeTheFirstLargest() {
        #expect(QuantizedNetwork.predictedClasses(logits: [1, 3, 3, 0, -1, -2], outputs: 3) == [1, 0])
        #expect(QuantizedNetwork.predictedClasses(logits: [0.5, -0.5, 0], outputs: 1) == [1, 0, 0])
    }

    @Test func layersThatDoNotChainAreRefused() throws {
        var generator = SeededGenerator(seed: 19)
        let network = try Self.randomNetwork(widths: [6, 5, 4, 3], activation: .relu, using: &generator)
        let layers = network.layers
        #expect(throws: QuantizationError.self) { try QuantizedNetwork(input: network.input, layers: []) }
        #expect(throws: QuantizationError.self) {
            try QuantizedNetwork(input: network.input, layers: Array(layers.dropLast()))
        }
        #expect(throws: QuantizationError.self) {
            try QuantizedNetwork(input: network.input, layers: [layers[0], layers[2]])
        }
        let other = try QuantizationParameters(scale: 0.5, zeroPoint: 3)
        #expect(throws: QuantizationError.self) { try QuantizedNetwork(input: other, layers: layers) }
        #expect(try QuantizedNetwork(input: network.input, layers: layers).byteCount == network.byteCount)
    }
}
