import Networks
import Quantization
import Runtime
import Testing

@Suite struct QuantizedWeightsTests {
    @Test func eachRowHasItsOwnScaleAndHalfStepError() throws {
        var generator = SeededGenerator(seed: 4)
        let outputs = 9, inputs = 13
        let weights = (0..<outputs * inputs).map { index in
            Float.random(in: -1...1, using: &generator) * Float(index / inputs + 1)
        }
        let quantized = try QuantizedWeights(quantizing: weights, outputs: outputs, inputs: inputs)
        for unit in 0..<outputs {
            let row = weights[unit * inputs..<(unit + 1) * inputs]
            let largest = row.map(\.magnitude).max()!
            #expect(quantized.scales[unit] == Float(Double(largest) / 127))
            let codes = quantized.values[unit * inputs..<(unit + 1) * inputs]
            #expect(codes.contains(127) || codes.contains(-127))
            #expect(!codes.contains(-128))
            for index in row.indices {
                let back = Double(quantized.scales[unit]) * Double(quantized.values[index])
                #expect((back - Double(weights[index])).magnitude <= Double(quantized.scales[unit]) / 2)
            }
        }
        let dequantized = quantized.dequantized()
        #expect(dequantized[5] == Float(Double(quantized.scales[0]) * Double(quantized.values[5])))
    }

    @Test func sevenBitWeightsUseSixtyThreeLevelsAndTheFastLayout() throws {
        var generator = SeededGenerator(seed: 15)
        let weights = (0..<40 * 30).map { _ in Float.random(in: -3...3, using: &generator) }
        let quantized = try QuantizedWeights(
            quantizing: weights, outputs: 40, inputs: 30, precision: .bits7)
        #expect(quantized.values.allSatisfy { (-63...63).contains($0) })
        #expect(quantized.values.contains(63) || quantized.values.contains(-63))
        for index in weights.indices {
            let scale = Double(quantized.scales[index / 30])
            #expect((scale * Double(quantized.values[index]) - Double(weights[index])).magnitude <= scale / 2)
        }
        #expect(PackedWeights(quantized).layout == .quads)
        let full = try QuantizedWeights(quantizing: weights, outputs: 40, inputs: 30)
        // ±127 weights would saturate `vpmaddubsw`: quads only where VNNI's `vpdpbusd` runs them.
        #expect(!PackedWeights(full).fitsSaturatingQuads)
        #expect(PackedWeights(full).layout == (IntegerGEMM.isVNNIAvailable ? .quads : .pairs))
    }

    @Test func aRowOfZerosGetsScaleOne() throws {
        let quantized = try QuantizedWeights(quantizing: [0, 0, 0, 0.5, -2, 0], outputs: 2, inputs: 3)
        #expect(quantized.scales[0] == 1)
        #expect(quantized.values == [0, 0, 0, 32, -127, 0])
    }

    @Test func badWeightsAreRefused() {
        #expect(throws: QuantizationError.nonFiniteValue(what: "weights", index: 1, value: .infinity)) {
            try QuantizedWeights(quantizing: [0, .infinity], outputs: 1, inputs: 2)
        }
        #expect(throws: QuantizationError.shapeMismatch(what: "weights", expected: 6, actual: 5)) {
            try QuantizedWeights(quantizing: [Float](repeating: 0, count: 5), outputs: 2, inputs: 3)
        }
        #expect(throws: QuantizationError.self) {
            try QuantizedWeights(quantizing: [], outputs: 0, inputs: 3)
        }
        #expect(throws: QuantizationError.self) {
            try QuantizedWeights(values: [1, 2], scales: [0], outputs: 1, inputs: 2)
        }
        #expect(throws: QuantizationError.self) {
            try QuantizedWeights(values: [1, 2], scales: [1, 1], outputs: 1, inputs: 2)
        }
    }
}
