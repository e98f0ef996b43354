// The int8 GEMM against OpenBLAS sgemm on the shapes of the 784-256-128-10 network at batch
// 1024, on 1 and 2 threads. Run: swift run -c release <flags> quantization-bench
// GOPS counts a multiply and an add as two operations, for both.
import Activations
import CBLAS
import Dispatch
import Quantization

struct Shape {
    let rows: Int, inputs: Int, outputs: Int
    var operations: Double { 2 * Double(rows * inputs * outputs) }
}

/// The median and minimum of `repeats` timings of `body`, in seconds.
func measure(repeats: Int, _ body: () -> Void) -> (median: Double, minimum: Double) {
    body()
    var seconds: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    seconds.sort()
    return (seconds[seconds.count / 2], seconds[0])
}

func gops(_ shape: Shape, _ seconds: (median: Double, minimum: Double)) -> String {
    let median = shape.operations / seconds.median / 1e9
    let best = shape.operations / seconds.minimum / 1e9
    return "\(Int(median.rounded())) (best \(Int(best.rounded())))"
}

var generator = SystemRandomNumberGenerator()
let shapes = [Shape(rows: 1024, inputs: 784, outputs: 256), Shape(rows: 1024, inputs: 256, outputs: 128)]
let repeats = 30
print("int8 GEMM vs OpenBLAS sgemm, GOPS median (best of \(repeats)); AVX2: \(IntegerGEMM.isAVX2Available)")
for threads in [1, 2] {
    Parallelism.threadCount = threads
    openblas_set_num_threads(Int32(threads))
    for shape in shapes {
        let codes = (0..<shape.rows * shape.inputs).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let floats = codes.map { Float($0) / 255 }
        let weightValues = (0..<shape.outputs * shape.inputs).map { _ in Float.random(in: -1...1, using: &generator) }
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
                results.append(("GEMM \(precision) weights (\(packed.layout)), \(path)", gops(shape, t)))
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
            results.append(("layer \(precision) (GEMM + bias + ReLU requantisation)", gops(shape, layerTime)))
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

// The whole 784-256-128-10 ReLU network in int8 (random weights), samples/s on 1 thread.
Parallelism.threadCount = 1
let widths = [784, 256, 128, 10]
for precision in WeightPrecision.allCases {
    var parameters = try QuantizationParameters(scale: 1 / 255, zeroPoint: 0)
    let input = parameters
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
            layers.append(try QuantizedDense(weights: weights, bias: bias, input: parameters, output: .codes(output, activation: .relu)))
            parameters = output
        }
    }
    let network = try QuantizedNetwork(input: input, layers: layers)
    for batch in [1, 1024] {
        let codes = (0..<batch * 784).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var logits = [Float](repeating: 0, count: batch * 10)
        let repeatsHere = batch == 1 ? 3000 : 30
        let t = codes.withUnsafeBufferPointer { a in
            logits.withUnsafeMutableBufferPointer { o in
                measure(repeats: repeatsHere) { network.logits(codes: a, rows: batch, into: o) }
            }
        }
        print("int8 network (\(precision)) batch \(batch): \(Int(Double(batch) / t.median)) samples/s (best \(Int(Double(batch) / t.minimum)))")
    }
}
