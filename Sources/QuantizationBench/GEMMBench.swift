import Activations
import CBLAS
import Networks
import Quantization
import Runtime

/// int8 GEMM (both weight precisions, both paths, and the fused layer) against OpenBLAS sgemm
/// on the shapes of 784-256-128-10 at batch 1024, on 1 and 2 threads. GOPS counts a multiply
/// and an add as two operations, for both.
func benchmarkGEMM(repeats: Int = 30) throws {
    struct Shape {
        let rows: Int, inputs: Int, outputs: Int
        var operations: Double { 2 * Double(rows * inputs * outputs) }
    }
    func gops(_ shape: Shape, _ seconds: (median: Double, minimum: Double)) -> String {
        let median = shape.operations / seconds.median / 1e9
        let best = shape.operations / seconds.minimum / 1e9
        return "\(Int(median.rounded())) (best \(Int(best.rounded())))"
    }
    var generator = SeededGenerator(seed: 1)
    let shapes = [Shape(rows: 1024, inputs: 784, outputs: 256), Shape(rows: 1024, inputs: 256, outputs: 128)]
    print("int8 GEMM vs OpenBLAS sgemm, GOPS median (best) of \(repeats); AVX2: \(IntegerGEMM.isAVX2Available)")
    for threads in [1, 2] {
        try Execution(threads: threads).run {
            openblas_set_num_threads(Int32(threads))
            for shape in shapes {
                let codes = (0..<shape.rows * shape.inputs).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let floats = codes.map { Float($0) / 255 }
                let weightValues = (0..<shape.outputs * shape.inputs).map { _ in
                    Float.random(in: -1...1, using: &generator)
                }
                var sums = [Int32](repeating: 0, count: shape.rows * shape.outputs)
                var out = [UInt8](repeating: 0, count: shape.rows * shape.outputs)
                var floatOut = [Float](repeating: 0, count: shape.rows * shape.outputs)
                var results: [(String, String)] = []
                for precision in WeightPrecision.allCases {
                    let weights = try QuantizedWeights(
                        quantizing: weightValues, outputs: shape.outputs, inputs: shape.inputs,
                        precision: precision)
                    let packed = PackedWeights(weights)
                    for path in IntegerGEMM.Path.allCases {
                        let t = codes.withUnsafeBufferPointer { a in
                            sums.withUnsafeMutableBufferPointer { c in
                                measure(repeats: repeats) {
                                    IntegerGEMM.multiply(a, rows: shape.rows, weights: packed, into: c, path: path)
                                }
                            }
                        }
                        results.append(("GEMM, \(precision) weights (\(packed.layout)), \(path)", gops(shape, t)))
                    }
                    let layer = try QuantizedDense(
                        weights: weights, bias: [Float](repeating: 0.1, count: shape.outputs),
                        input: QuantizationParameters(scale: 1 / 255, zeroPoint: 0),
                        output: .codes(QuantizationParameters(scale: 0.05, zeroPoint: 0), activation: .relu))
                    let layerTime = codes.withUnsafeBufferPointer { a in
                        out.withUnsafeMutableBufferPointer { o in
                            measure(repeats: repeats) { layer.forward(a, rows: shape.rows, into: o) }
                        }
                    }
                    results.append(("layer, \(precision) (GEMM + bias + ReLU requantisation)", gops(shape, layerTime)))
                }
                let sgemm = floats.withUnsafeBufferPointer { a in
                    weightValues.withUnsafeBufferPointer { w in
                        floatOut.withUnsafeMutableBufferPointer { c in
                            measure(repeats: repeats) {
                                cblas_sgemm(
                                    CblasRowMajor, CblasNoTrans, CblasTrans, Int32(shape.rows),
                                    Int32(shape.outputs), Int32(shape.inputs), 1, a.baseAddress,
                                    Int32(shape.inputs), w.baseAddress, Int32(shape.inputs), 0,
                                    c.baseAddress, Int32(shape.outputs))
                            }
                        }
                    }
                }
                results.append(("OpenBLAS sgemm", gops(shape, sgemm)))
                print("\(shape.rows)×\(shape.inputs)×\(shape.outputs), \(threads) thread(s):")
                for (name, figure) in results { print("  \(name): \(figure)") }
            }
        }
    }
}
