import Networks
import Quantization
import Runtime
import Testing

@Suite struct QuantizationParametersTests {
    @Test func quantizeThenDequantizeIsWithinHalfAStep() throws {
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<200 {
            let low = Float.random(in: -50...10, using: &generator)
            let high = low + Float.random(in: 1e-3...60, using: &generator)
            let parameters = try QuantizationParameters(covering: low...high)
            // The zero point is rounded to an integer, so the codes may fall short of either end
            // of the range by up to half a step; values there still round to the end code.
            let calibrated = Swift.min(low, 0)...Swift.max(high, 0)
            let covered = parameters.representableRange, halfStep = parameters.scale / 2 * (1 + 1e-5)
            #expect(covered.lowerBound - halfStep <= calibrated.lowerBound)
            #expect(covered.upperBound + halfStep >= calibrated.upperBound)
            for _ in 0..<100 {
                let x = Float.random(in: calibrated, using: &generator)
                let code = try parameters.quantize(x)
                let back = Double(parameters.scale) * Double(Int32(code) - parameters.zeroPoint)
                #expect((back - Double(x)).magnitude <= Double(parameters.scale) / 2 * (1 + 1e-9))
            }
        }
    }

    @Test func zeroIsExactlyRepresentable() throws {
        var generator = SeededGenerator(seed: 2)
        for _ in 0..<200 {
            let low = Float.random(in: -10...0, using: &generator)
            let high = Float.random(in: 0...10, using: &generator)
            let parameters = try QuantizationParameters(covering: low...high)
            #expect(parameters.dequantize(try parameters.quantize(0)) == 0)
        }
    }

    @Test func rangesAreWidenedToContainZero() throws {
        let positive = try QuantizationParameters(covering: 2...4)
        #expect(positive.zeroPoint == 0)
        #expect(positive.scale == Float(4.0 / 255))
        let negative = try QuantizationParameters(covering: -4 ... -2)
        #expect(negative.zeroPoint == 255)
        #expect(negative.representableRange.upperBound == 0)
    }

    @Test func onlyZerosGiveValidParameters() throws {
        let parameters = try QuantizationParameters(covering: 0...0)
        #expect(parameters.scale == 1)
        #expect(parameters.zeroPoint == 0)
        #expect(try parameters.quantize(0) == 0)
        #expect(try parameters.quantize(-3) == 0)
    }

    @Test func tinyRangesAreWidenedToTheMinimumScale() throws {
        let parameters = try QuantizationParameters(covering: 0...1e-30)
        #expect(parameters.scale == QuantizationParameters.minimumScale)
    }

    @Test func valuesOutsideTheRangeSaturate() throws {
        let parameters = try QuantizationParameters(covering: -1...1)
        #expect(try parameters.quantize(100) == 255)
        #expect(try parameters.quantize(-.infinity) == 0)
        #expect(try parameters.quantize(.infinity) == 255)
    }

    @Test func quantizationRoundsTiesToEven() throws {
        let parameters = try QuantizationParameters(scale: 1, zeroPoint: 10)
        #expect(try parameters.quantize(0.5) == 10)
        #expect(try parameters.quantize(1.5) == 12)
        #expect(try parameters.quantize(-0.5) == 10)
        #expect(try parameters.quantize(-1.5) == 8)
    }

    /// The buffer loop (reciprocal, then division near ties) gives exactly the scalar codes,
    /// including values at and next to every tie.
    @Test func bufferQuantisationEqualsTheScalarDefinition() throws {
        var generator = SeededGenerator(seed: 22)
        for trial in 0..<60 {
            // Every fifth scale a power of two, so (k + ½)·scale is exactly a tie.
            let scale = trial % 5 == 0
                ? Float(sign: .plus, exponent: Int.random(in: -8...1, using: &generator), significand: 1)
                : Float.random(in: 1e-3...2, using: &generator)
            let parameters = try QuantizationParameters(
                scale: scale, zeroPoint: Int32.random(in: 0...255, using: &generator))
            var values: [Float] = []
            for _ in 0..<300 {
                let tie = (Double(Int.random(in: -300...300, using: &generator)) + 0.5) * Double(parameters.scale)
                let near = Float(tie)
                values += [near, near.nextUp, near.nextDown, Float.random(in: -600...600, using: &generator)]
            }
            values += [.infinity, -.infinity, 1e30, -1e30, 0, -0.0]
            // Exact ties where the scale allows them: x = (k + ½)·scale.
            values += (-300...300).map { Float((Double($0) + 0.5) * Double(parameters.scale)) }
            values.shuffle(using: &generator)
            let scalar = try values.map { try parameters.quantize($0) }
            // Both paths, and a count that leaves a tail after the 32-value steps of the AVX2 kernel.
            for path in IntegerGEMM.Path.allCases {
                for count in [values.count, values.count - 13] {
                    var fast = [UInt8](repeating: 0, count: count)
                    try values.withUnsafeBufferPointer { input in
                        try fast.withUnsafeMutableBufferPointer {
                            try parameters.quantize(UnsafeBufferPointer(rebasing: input[..<count]), into: $0, path: path)
                        }
                    }
                    let differing = (0..<count).filter { fast[$0] != scalar[$0] }
                    #expect(differing.isEmpty, "\(path) \(parameters): \(differing.prefix(3).map { values[$0] })")
                }
            }
        }
    }

    @Test func theFirstNaNOfABufferIsNamed() throws {
        let parameters = try QuantizationParameters(scale: 0.1, zeroPoint: 5)
        for position in [0, 7, 8, 13, 99] {
            var values = [Float](repeating: 1, count: 100)
            values[position] = .nan
            if position < 99 { values[99] = .nan }
            for path in IntegerGEMM.Path.allCases {
                var codes = [UInt8](repeating: 0, count: 100)
                let error = #expect(throws: QuantizationError.self) {
                    try values.withUnsafeBufferPointer { input in
                        try codes.withUnsafeMutableBufferPointer { try parameters.quantize(input, into: $0, path: path) }
                    }
                }
                #expect(error?.description == "input[\(position)] = nan: quantisation needs finite values")
            }
        }
    }

    /// A buffer large enough to be split over threads: the same codes as on one thread, and
    /// the first NaN named even when a later one lies in a part another thread quantises.
    @Test func buffersSplitOverThreadsGiveTheSameCodesAndTheFirstNaN() throws {
        let parameters = try QuantizationParameters(scale: 0.037, zeroPoint: 17)
        let count = 100_003
        let values = (0..<count).map { Float(($0 * 7919) % 2001 - 1000) * 0.0113 }
        var expected = [UInt8](repeating: 0, count: count)
        try values.withUnsafeBufferPointer { input in
            try expected.withUnsafeMutableBufferPointer { try parameters.quantize(input, into: $0, path: .portable) }
        }
        #expect(values.indices.allSatisfy { (try? parameters.quantize(values[$0])) == expected[$0] })
        for threads in [2, 3] {
            for path in IntegerGEMM.Path.allCases {
                var codes = [UInt8](repeating: 0, count: count)
                try Execution(threads: threads).run { () throws in
                    try values.withUnsafeBufferPointer { input in
                        try codes.withUnsafeMutableBufferPointer { try parameters.quantize(input, into: $0, path: path) }
                    }
                }
                #expect(codes == expected, "\(threads) threads, \(path)")
                var withNaN = values
                withNaN[70_001] = .nan
                withNaN[20_000] = .nan
                let error = #expect(throws: QuantizationError.self) {
                    try Execution(threads: threads).run { () throws in
                        try withNaN.withUnsafeBufferPointer { input in
                            try codes.withUnsafeMutableBufferPointer { try parameters.quantize(input, into: $0, path: path) }
                        }
                    }
                }
                #expect(error?.description == "input[20000] = nan: quantisation needs finite values")
            }
        }
    }

    @Test func invalidInputIsRefused() {
        #expect(throws: QuantizationError.self) { try QuantizationParameters(scale: 0, zeroPoint: 0) }
        #expect(throws: QuantizationError.self) { try QuantizationParameters(scale: .nan, zeroPoint: 0) }
        #expect(throws: QuantizationError.self) { try QuantizationParameters(scale: 1, zeroPoint: 256) }
        #expect(throws: QuantizationError.self) { try QuantizationParameters(covering: -.infinity...0) }
        #expect(throws: QuantizationError.self) {
            try QuantizationParameters(scale: 1, zeroPoint: 0).quantize(.nan)
        }
        let input: [Float] = [0, 1, .nan]
        var output = [UInt8](repeating: 0, count: 3)
        let error = #expect(throws: QuantizationError.self) {
            try input.withUnsafeBufferPointer { source in
                try output.withUnsafeMutableBufferPointer { target in
                    try QuantizationParameters(scale: 1, zeroPoint: 0).quantize(source, into: target)
                }
            }
        }
        #expect(error?.description == "input[2] = nan: quantisation needs finite values")
    }

    @Test func errorMessagesNameTheProblem() {
        let error = QuantizationError.nonFiniteValue(what: "weights", index: 7, value: .infinity)
        #expect(error.description == "weights[7] = inf: quantisation needs finite values")
    }
}
