import Activations
import Networks
import Quantization
import Runtime
import Testing

@Suite struct QuantizedDenseTests {
    static func randomLayer(
        inputs: Int, units: Int, activation: Activation?, prelu: Bool = false,
        using generator: inout SeededGenerator
    ) throws -> QuantizedDense {
        let weights = try QuantizedWeights.random(
            outputs: units, inputs: inputs, largest: Bool.random(using: &generator) ? 64 : nil,
            using: &generator)
        let bias = (0..<units).map { _ in Float.random(in: -2...2, using: &generator) }
        let input = try QuantizationParameters(
            scale: Float.random(in: 0.005...0.05, using: &generator),
            zeroPoint: Int32.random(in: 0...255, using: &generator))
        guard let activation else {
            return try QuantizedDense(weights: weights, bias: bias, input: input, output: .logits)
        }
        let preActivation = try QuantizationParameters(
            scale: Float.random(in: 0.02...0.2, using: &generator),
            zeroPoint: Int32.random(in: 0...255, using: &generator))
        var output = preActivation
        if !activation.isPiecewiseLinear {
            output = try ActivationTable.outputParameters(for: activation, input: preActivation)
        }
        var fused = QuantizedActivation(activation, preActivation: preActivation, output: output)
        if prelu {
            fused = .prelu(slopes: (0..<units).map { _ in Double.random(in: -0.5...1, using: &generator) })
        }
        return try QuantizedDense(
            weights: weights, bias: bias, input: input, output: .codes(output, activation: fused))
    }

    static let activations: [Activation] = [
        .identity, .relu, try! .leakyReLU(negativeSlope: 0.01), .sigmoid, .tanh, .softplus, .abs,
        .gelu, .gelu(GELU(approximation: .tanh)), .silu, try! .elu(alpha: 0.5), .selu, .mish,
    ]

    @Test func forwardEqualsTheReferenceForEveryActivation() throws {
        var generator = SeededGenerator(seed: 11)
        for trial in 0..<160 {
            let activation = Self.activations[trial % Self.activations.count]
            let inputs = Int.random(in: 1...90, using: &generator)
            let units = Int.random(in: 1...40, using: &generator)
            let rows = Int.random(in: 1...15, using: &generator)
            let layer = try Self.randomLayer(
                inputs: inputs, units: units, activation: activation, prelu: trial % 8 == 7,
                using: &generator)
            let x = randomCodes(rows * inputs, extremes: trial % 10 == 0, using: &generator)
            var reference = [UInt8](repeating: 0, count: rows * units)
            x.withUnsafeBufferPointer { input in
                reference.withUnsafeMutableBufferPointer { layer.referenceForward(input, rows: rows, into: $0) }
            }
            for path in IntegerGEMM.Path.allCases {
                var fast = [UInt8](repeating: 0, count: rows * units)
                x.withUnsafeBufferPointer { input in
                    fast.withUnsafeMutableBufferPointer { layer.forward(input, rows: rows, into: $0, path: path) }
                }
                #expect(fast == reference, "\(activation) \(path) \(rows)×\(inputs)×\(units)")
            }
        }
    }

    @Test func accumulatorsAndLogitsEqualTheReference() throws {
        var generator = SeededGenerator(seed: 12)
        for _ in 0..<50 {
            let inputs = Int.random(in: 1...80, using: &generator)
            let units = Int.random(in: 1...20, using: &generator)
            let rows = Int.random(in: 1...13, using: &generator)
            let layer = try Self.randomLayer(inputs: inputs, units: units, activation: nil, using: &generator)
            let x = randomCodes(rows * inputs, using: &generator)
            var fast = [Int32](repeating: 0, count: rows * units), reference = fast
            var logits = [Float](repeating: 0, count: rows * units)
            x.withUnsafeBufferPointer { input in
                fast.withUnsafeMutableBufferPointer { layer.accumulators(input, rows: rows, into: $0) }
                reference.withUnsafeMutableBufferPointer { layer.referenceAccumulators(input, rows: rows, into: $0) }
                logits.withUnsafeMutableBufferPointer { layer.logits(input, rows: rows, into: $0) }
            }
            #expect(fast == reference)
            for index in logits.indices {
                #expect(logits[index] == Float(Double(reference[index]) * layer.biasScales[index % units]))
            }
        }
    }

    /// The fused layer kernel (the whole layer in one pass on a VNNI CPU: rows read in place,
    /// requantised while the sums are in registers) against the scalar reference on batches
    /// that split across threads, with rows not a multiple of the 6-row tile, inputs not a
    /// multiple of 4 and units not a multiple of 16 or 32; codes and weights at their extremes
    /// saturate the accumulator clamp and both ends of the output codes. The bytes around the
    /// output are checked untouched.
    @Test func largeBatchesOfOddShapesEqualTheReferenceOnEveryPath() throws {
        var generator = SeededGenerator(seed: 15)
        let shapes: [(rows: Int, inputs: Int, units: Int)] = [
            (121, 261, 70), (7, 1, 33), (13, 3, 1), (400, 131, 17), (3, 784, 256),
        ]
        let activations: [Activation?] = [.relu, try .leakyReLU(negativeSlope: 0.1), .sigmoid, .identity, nil]
        for (index, shape) in shapes.enumerated() {
            for (which, activation) in activations.enumerated() {
                let layer = try Self.randomLayer(
                    inputs: shape.inputs, units: shape.units, activation: activation,
                    prelu: which == 3 && index % 2 == 0, using: &generator)
                let extremes = (index + which) % 2 == 0
                let x = randomCodes(shape.rows * shape.inputs, extremes: extremes, using: &generator)
                let count = shape.rows * shape.units
                // Sums on their own for the layer without activation and the small batches.
                let checksSums = activation == nil || shape.rows < 50
                var expectedCodes = [UInt8](repeating: 0, count: count)
                var expectedSums = [Int32](repeating: 0, count: count)
                x.withUnsafeBufferPointer { input in
                    if activation != nil {
                        expectedCodes.withUnsafeMutableBufferPointer {
                            layer.referenceForward(input, rows: shape.rows, into: $0)
                        }
                    }
                    if checksSums {
                        expectedSums.withUnsafeMutableBufferPointer {
                            layer.referenceAccumulators(input, rows: shape.rows, into: $0)
                        }
                    }
                }
                for path in IntegerGEMM.Path.allCases {
                    for threads in [1, 2] {
                        var codes = [UInt8](repeating: 0xA5, count: count + 64)
                        var sums = [Int32](repeating: 0x5A5A, count: count + 64)
                        Execution(threads: threads).run {
                            x.withUnsafeBufferPointer { input in
                                if activation != nil {
                                    codes.withUnsafeMutableBufferPointer {
                                        layer.forward(
                                            input, rows: shape.rows,
                                            into: UnsafeMutableBufferPointer(rebasing: $0[32..<32 + count]), path: path)
                                    }
                                }
                                if checksSums {
                                    sums.withUnsafeMutableBufferPointer {
                                        layer.accumulators(
                                            input, rows: shape.rows,
                                            into: UnsafeMutableBufferPointer(rebasing: $0[32..<32 + count]), path: path)
                                    }
                                }
                            }
                        }
                        let label = "\(String(describing: activation)) \(path) \(threads) threads \(shape)"
                        if activation != nil {
                            #expect(Array(codes[32..<32 + count]) == expectedCodes, "\(label)")
                            #expect(codes[..<32].allSatisfy { $0 == 0xA5 } && codes[(32 + count)...].allSatisfy { $0 == 0xA5 })
                        }
                        if checksSums {
                            #expect(Array(sums[32..<32 + count]) == expectedSums, "\(label)")
                            #expect(sums[..<32].allSatisfy { $0 == 0x5A5A } && sums[(32 + count)...].allSatisfy { $0 == 0x5A5A })
                        }
                    }
                }
                if extremes && activation == .relu && count > 1000 {
                    // Both ends of the code range are reached: the clamps are exercised.
                    #expect(expectedCodes.contains(255) && expectedCodes.contains(UInt8(layer.outputParameters!.zeroPoint)))
                }
            }
        }
    }

    /// The integer code equals the nearest code of the exact real value `acc · s_in·s_j/s_out`
    /// (clamped, ReLU at the zero point), except within 2^-20 of a tie, where the 31-bit
    /// multiplier may fall on either side.
    @Test func reluCodesAreTheNearestCodesOfTheExactValue() throws {
        var generator = SeededGenerator(seed: 13)
        for _ in 0..<40 {
            let inputs = Int.random(in: 1...60, using: &generator), units = 12, rows = 4
            let layer = try Self.randomLayer(inputs: inputs, units: units, activation: .relu, using: &generator)
            let output = layer.outputParameters!
            let x = randomCodes(rows * inputs, using: &generator)
            var accumulators = [Int32](repeating: 0, count: rows * units)
            var codes = [UInt8](repeating: 0, count: rows * units)
            x.withUnsafeBufferPointer { input in
                accumulators.withUnsafeMutableBufferPointer { layer.referenceAccumulators(input, rows: rows, into: $0) }
                codes.withUnsafeMutableBufferPointer { layer.forward(input, rows: rows, into: $0) }
            }
            for index in codes.indices {
                let steps = Double(accumulators[index]) * layer.biasScales[index % units] / Double(output.scale)
                if (steps - steps.rounded(.down) - 0.5).magnitude < 0x1p-20 { continue }
                let expected = Swift.min(Swift.max(steps.rounded() + Double(output.zeroPoint), Double(output.zeroPoint)), 255)
                #expect(Double(codes[index]) == expected)
            }
        }
    }

    @Test func theZeroPointIsFoldedIntoTheBias() throws {
        // Input codes equal to the zero point are real zeros: the accumulator is the bias.
        var generator = SeededGenerator(seed: 14)
        let layer = try Self.randomLayer(inputs: 33, units: 5, activation: nil, using: &generator)
        let x = [UInt8](repeating: UInt8(layer.input.zeroPoint), count: 2 * 33)
        var sums = [Int32](repeating: 0, count: 10)
        x.withUnsafeBufferPointer { input in
            sums.withUnsafeMutableBufferPointer { layer.accumulators(input, rows: 2, into: $0) }
        }
        #expect(sums == layer.bias + layer.bias)
    }

    @Test func badLayersAreRefused() throws {
        let weights = try QuantizedWeights(quantizing: [1, -1, 0.5, 0.25], outputs: 2, inputs: 2)
        let unit = try QuantizationParameters(scale: 1 / 255, zeroPoint: 0)
        let relu = QuantizedOutput.codes(unit, activation: .relu)
        #expect(throws: QuantizationError.self) {
            try QuantizedDense(weights: weights, bias: [0], input: unit, output: relu)
        }
        #expect(throws: QuantizationError.nonFiniteValue(what: "bias", index: 1, value: .infinity)) {
            try QuantizedDense(weights: weights, bias: [0, .infinity], input: unit, output: relu)
        }
        #expect(throws: QuantizationError.self) {
            try QuantizedDense(weights: weights, bias: [0, 1e10], input: unit, output: relu)
        }
        #expect(throws: QuantizationError.self) {
            try QuantizedDense(
                weights: weights, bias: [0, 0], input: unit,
                output: .codes(unit, activation: .prelu(slopes: [0.1, 0.2, 0.3])))
        }
        let tiny = try QuantizationParameters(scale: QuantizationParameters.minimumScale, zeroPoint: 0)
        #expect(throws: QuantizationError.self) {
            try QuantizedDense(weights: weights, bias: [0, 0], input: unit, output: .codes(tiny, activation: .relu))
        }
        let table = ActivationTable(.sigmoid, input: unit, output: unit)
        let other = try QuantizationParameters(scale: 0.5, zeroPoint: 0)
        #expect(throws: QuantizationError.self) {
            try QuantizedDense(weights: weights, bias: [0, 0], input: unit, output: .codes(other, activation: .table(table)))
        }
    }
}
