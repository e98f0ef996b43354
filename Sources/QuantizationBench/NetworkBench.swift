import Activations
import Networks
import Quantization
import Runtime

/// The whole 784-256-128-10 ReLU network in int8 (random weights): samples/s on 1 thread at
/// batch 1 and 1024, from input codes.
func benchmarkNetwork() throws {
    try Execution.serial.run { try benchmarkNetworkOnCurrentThreads() }
}

private func benchmarkNetworkOnCurrentThreads() throws {
    var generator = SeededGenerator(seed: 2)
    let widths = [784, 256, 128, 10]
    for precision in WeightPrecision.allCases {
        let input = try QuantizationParameters(scale: 1 / 255, zeroPoint: 0)
        var parameters = input
        var layers: [QuantizedDense] = []
        for index in 0..<widths.count - 1 {
            let weights = try QuantizedWeights(
                quantizing: (0..<widths[index] * widths[index + 1]).map { _ in
                    Float.random(in: -0.1...0.1, using: &generator)
                },
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
        for batch in [1, 1024] {
            let codes = (0..<batch * 784).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var logits = [Float](repeating: 0, count: batch * 10)
            let t = codes.withUnsafeBufferPointer { a in
                logits.withUnsafeMutableBufferPointer { o in
                    measure(repeats: batch == 1 ? 3000 : 30) { network.logits(codes: a, rows: batch, into: o) }
                }
            }
            let median = Int(Double(batch) / t.median), best = Int(Double(batch) / t.minimum)
            print("int8 network (\(precision)) batch \(batch): \(median) samples/s (best \(best))")
        }
    }
}
