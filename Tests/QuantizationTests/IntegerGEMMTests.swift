import Networks
import Quantization
import Runtime
import Testing

@Suite struct IntegerGEMMTests {
    /// Both paths and every layout the weights fit against the scalar reference on one case.
    func check(rows: Int, a: [UInt8], weights: QuantizedWeights) {
        var reference = [Int32](repeating: 0, count: rows * weights.outputs)
        a.withUnsafeBufferPointer { input in
            reference.withUnsafeMutableBufferPointer {
                IntegerGEMM.reference(input, rows: rows, weights: weights, into: $0)
            }
        }
        let fitsQuads = weights.values.allSatisfy { Int($0).magnitude <= PackedWeights.quadLimit }
        #expect(PackedWeights(weights).layout == (fitsQuads ? .quads : .pairs))
        let layouts: [PackedWeights.Layout] = fitsQuads ? [.pairs, .quads] : [.pairs]
        for layout in layouts {
            let packed = PackedWeights(weights, layout: layout)
            for path in IntegerGEMM.Path.allCases {
                var fast = [Int32](repeating: -7, count: rows * weights.outputs)
                a.withUnsafeBufferPointer { input in
                    fast.withUnsafeMutableBufferPointer {
                        IntegerGEMM.multiply(input, rows: rows, weights: packed, into: $0, path: path)
                    }
                }
                #expect(
                    fast == reference,
                    "\(layout) \(path): \(rows)×\(weights.inputs)×\(weights.outputs)")
            }
        }
    }

    @Test func fastPathsEqualTheReferenceOnRandomShapes() throws {
        var generator = SeededGenerator(seed: 9)
        for trial in 0..<300 {
            let rows = Int.random(in: 1...20, using: &generator)
            let inputs = Int.random(in: 1...70, using: &generator)
            let outputs = Int.random(in: 1...50, using: &generator)
            let extremes = trial % 5 == 0
            let weights = try QuantizedWeights.random(
                outputs: outputs, inputs: inputs, extremes: extremes,
                largest: trial % 2 == 0 ? 64 : nil, using: &generator)
            check(rows: rows, a: randomCodes(rows * inputs, extremes: extremes, using: &generator),
                  weights: weights)
        }
    }

    @Test func extremeValuesAreExact() throws {
        // 255 · (−128) summed over 1001 inputs: the most negative sum of that length.
        // ±64 with 255 is the largest pair vpmaddubsw sees: 2·255·64 = 32640, just below 2^15.
        let cases: [(UInt8, Int8)] = [(255, .min), (255, .max), (0, .min), (255, -1), (255, 64), (255, -64)]
        for (code, weight) in cases {
            let inputs = 1001, outputs = 17, rows = 7
            let weights = try QuantizedWeights(
                values: [Int8](repeating: weight, count: outputs * inputs),
                scales: [Float](repeating: 1, count: outputs), outputs: outputs, inputs: inputs)
            let a = [UInt8](repeating: code, count: rows * inputs)
            check(rows: rows, a: a, weights: weights)
            var c = [Int32](repeating: 0, count: rows * outputs)
            a.withUnsafeBufferPointer { input in
                c.withUnsafeMutableBufferPointer {
                    IntegerGEMM.multiply(input, rows: rows, weights: PackedWeights(weights), into: $0)
                }
            }
            #expect(c.allSatisfy { $0 == Int32(code) * Int32(weight) * Int32(inputs) })
        }
    }

    @Test func aLargeBatchSplitAcrossThreadsEqualsTheReference() throws {
        var generator = SeededGenerator(seed: 10)
        let rows = 301, inputs = 517, outputs = 70
        let weights = try QuantizedWeights.random(outputs: outputs, inputs: inputs, using: &generator)
        check(rows: rows, a: randomCodes(rows * inputs, using: &generator), weights: weights)
    }

    @Test func theMaximumInputCountCannotOverflow() throws {
        let inputs = QuantizedWeights.maximumInputs
        let weights = try QuantizedWeights(
            values: [Int8](repeating: .min, count: inputs), scales: [1], outputs: 1, inputs: inputs)
        var c: [Int32] = [0]
        [UInt8](repeating: 255, count: inputs).withUnsafeBufferPointer { input in
            c.withUnsafeMutableBufferPointer {
                IntegerGEMM.multiply(input, rows: 1, weights: PackedWeights(weights), into: $0)
            }
        }
        #expect(Int64(c[0]) == 255 * -128 * Int64(inputs))
        #expect(throws: QuantizationError.self) {
            try QuantizedWeights(values: [0, 0], scales: [1], outputs: 1, inputs: inputs + 1)
        }
    }
}
