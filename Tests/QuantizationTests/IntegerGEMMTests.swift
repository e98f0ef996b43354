import Networks
import Quantization
import Runtime
import Testing

@Suite struct IntegerGEMMTests {
    /// Every path and both layouts against the scalar reference on one case (quads with
    /// |w| > 64 included: VNNI where the CPU has it, the portable kernel otherwise).
    func check(rows: Int, a: [UInt8], weights: QuantizedWeights) {
        var reference = [Int32](repeating: 0, count: rows * weights.outputs)
        a.withUnsafeBufferPointer { input in
            reference.withUnsafeMutableBufferPointer {
                IntegerGEMM.reference(input, rows: rows, weights: weights, into: $0)
            }
        }
        let fitsQuads = weights.values.allSatisfy { Int($0).magnitude <= PackedWeights.quadLimit }
        #expect(PackedWeights(weights).layout == (fitsQuads || IntegerGEMM.isVNNIAvailable ? .quads : .pairs))
        #expect(PackedWeights(weights).fitsSaturatingQuads == fitsQuads)
        for layout in [PackedWeights.Layout.pairs, .quads] {
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

    /// The CPU checks against the kernel's own report in /proc/cpuinfo (Linux x86-64 only).
    @Test func cpuChecksAgreeWithTheOperatingSystem() throws {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return }
        let flags = Set(line.split(separator: " ").map(String.init))
        #expect(IntegerGEMM.isAVX2Available == flags.contains("avx2"))
        let vnni = ["avx512f", "avx512bw", "avx512vl", "avx512_vnni"].allSatisfy(flags.contains)
        #expect(IntegerGEMM.isVNNIAvailable == vnni)
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
