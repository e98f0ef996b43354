import Activations
import Networks
import Quantization
import Runtime

/// The int8 GEMM (both weight precisions, both paths, and the fused layer) against the
/// Float GEMM of training (``Networks/BLAS/gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``,
/// OpenBLAS sgemm in row blocks) on the shapes of 784-256-128-10, and the whole int8
/// network. GOPS counts a multiply and an add as two operations, for both.
struct IntegerGEMMBenchmark {
    let rows: Int
    let runs: Int

    /// The GEMM table for each thread count: one line per kernel, GOPS median (best).
    func gemm(threads: [Int]) throws {
        print("int8 GEMM vs OpenBLAS sgemm, GOPS median (best) of \(runs); AVX2: \(IntegerGEMM.isAVX2Available)")
        for count in threads {
            try Execution(threads: count).run { try table(threads: count) }
        }
    }

    /// The GEMM table on the current execution's `count` threads.
    private func table(threads count: Int) throws {
        var generator = SeededGenerator(seed: 1)
        for (inputs, outputs) in [(784, 256), (256, 128)] {
            let operations = 2 * Double(rows) * Double(inputs) * Double(outputs)
            func gops(_ timings: Timing.Summary) -> String {
                "\(Int((operations / timings.median / 1e9).rounded())) (best \(Int((operations / timings.minimum / 1e9).rounded())))"
            }
            let codes = (0..<rows * inputs).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let floats = codes.map { Float($0) / 255 }
            let weightValues = (0..<outputs * inputs).map { _ in Float.random(in: -1...1, using: &generator) }
            var sums = [Int32](repeating: 0, count: rows * outputs)
            var out = [UInt8](repeating: 0, count: rows * outputs)
            var floatOut = [Float](repeating: 0, count: rows * outputs)
            var results: [(String, String)] = []
            for precision in WeightPrecision.allCases {
                let weights = try QuantizedWeights(
                    quantizing: weightValues, outputs: outputs, inputs: inputs, precision: precision)
                let packed = PackedWeights(weights)
                for path in IntegerGEMM.Path.allCases {
                    let time = codes.withUnsafeBufferPointer { a in
                        sums.withUnsafeMutableBufferPointer { c in
                            Timing.measure(warmUps: 1, calls: runs) {
                                IntegerGEMM.multiply(a, rows: rows, weights: packed, into: c, path: path)
                            }
                        }
                    }
                    results.append(("GEMM, \(precision) weights (\(packed.layout)), \(path)", gops(time)))
                }
                let layer = try QuantizedDense(
                    weights: weights, bias: [Float](repeating: 0.1, count: outputs),
                    input: QuantizationParameters(scale: 1 / 255, zeroPoint: 0),
                    output: .codes(QuantizationParameters(scale: 0.05, zeroPoint: 0), activation: .relu))
                let time = codes.withUnsafeBufferPointer { a in
                    out.withUnsafeMutableBufferPointer { o in
                        Timing.measure(warmUps: 1, calls: runs) { layer.forward(a, rows: rows, into: o) }
                    }
                }
                results.append(("layer, \(precision) (GEMM + bias + ReLU requantisation)", gops(time)))
            }
            let sgemm = floats.withUnsafeBufferPointer { a in
                weightValues.withUnsafeBufferPointer { w in
                    floatOut.withUnsafeMutableBufferPointer { c in
                        Timing.measure(warmUps: 1, calls: runs) {
                            BLAS.gemm(
                                transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, alpha: 1,
                                a: a.baseAddress!, lda: inputs, b: w.baseAddress!, ldb: inputs, beta: 0,
                                c: c.baseAddress!, ldc: outputs)
                        }
                    }
                }
            }
            results.append(("OpenBLAS sgemm", gops(sgemm)))
            print("\(rows)×\(inputs)×\(outputs), \(count) thread(s):")
            for (name, figure) in results { print("  \(name): \(figure)") }
        }
    }

    /// The 784-256-128-10 ReLU network in int8 (random weights) on 1 thread: samples/s at
    /// batch 1 and at `rows`, from input codes.
    func network() throws {
        try Execution.serial.run { try serialNetwork() }
    }

    private func serialNetwork() throws {
        var generator = SeededGenerator(seed: 2)
        let widths = [784, 256, 128, 10]
        for precision in WeightPrecision.allCases {
            let input = try QuantizationParameters(scale: 1 / 255, zeroPoint: 0)
            var parameters = input
            var layers: [QuantizedDense] = []
            for index in 0..<widths.count - 1 {
                let weights = try QuantizedWeights(
                    quantizing: (0..<widths[index] * widths[index + 1]).map { _ in Float.random(in: -0.1...0.1, using: &generator) },
                    outputs: widths[index + 1], inputs: widths[index], precision: precision)
                let bias = [Float](repeating: 0.01, count: widths[index + 1])
                if index == widths.count - 2 {
                    layers.append(try QuantizedDense(weights: weights, bias: bias, input: parameters, output: .logits))
                } else {
                    let output = try QuantizationParameters(covering: 0...4)
                    layers.append(try QuantizedDense(
                        weights: weights, bias: bias, input: parameters, output: .codes(output, activation: .relu)))
                    parameters = output
                }
            }
            let network = try QuantizedNetwork(input: input, layers: layers)
            for batch in [1, rows] {
                let codes = (0..<batch * 784).map { _ in UInt8.random(in: 0...255, using: &generator) }
                var logits = [Float](repeating: 0, count: batch * 10)
                let time = codes.withUnsafeBufferPointer { a in
                    logits.withUnsafeMutableBufferPointer { o in
                        Timing.measure(warmUps: 1, calls: batch == 1 ? runs * 100 : runs) { network.logits(codes: a, rows: batch, into: o) }
                    }
                }
                let median = Int(Double(batch) / time.median), best = Int(Double(batch) / time.minimum)
                print("int8 network (\(precision)) batch \(batch): \(median) samples/s (best \(best))")
            }
        }
    }
}
