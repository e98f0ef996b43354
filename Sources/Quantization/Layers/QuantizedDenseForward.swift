import Activations
import Runtime

extension QuantizedDense {
    /// Output codes for `rows` input rows: GEMM, bias, requantisation and activation in one
    /// pass per row panel; O(rows · inputs · units), split over threads for large batches.
    /// - Precondition: the layer produces codes (not logits); `input.count == rows · inputs`,
    ///   `output.count == rows · units`.
    public func forward(
        _ input: UnsafeBufferPointer<UInt8>, rows: Int, into output: UnsafeMutableBufferPointer<UInt8>,
        path: IntegerGEMM.Path = .automatic
    ) {
        guard let requantizer else { preconditionFailure("forward: this layer produces logits") }
        precondition(output.count == rows * units, "forward: output count is not rows × units")
        let units = units, stride = packed.paddedOutputs
        let target = UncheckedSendable(output.baseAddress)
        foldedBias.withUnsafeBufferPointer { bias in
            let fused = requantizer.withParameters { parameters in
                IntegerGEMM.dense(
                    input, rows: rows, weights: packed, path: path, bias: bias.baseAddress!,
                    requantizer: parameters, codes: output.baseAddress, sums: nil)
            }
            if fused { return }
            let bias = UncheckedSendable(bias.baseAddress!)
            IntegerGEMM.forEachRowPanel(input, rows: rows, weights: packed, path: path) {
                firstRow, rowCount, tile in
                for row in 0..<rowCount {
                    requantizer.requantizeRow(
                        tile + row * stride, bias: bias.value,
                        into: target.value! + (firstRow + row) * units, path: path)
                }
            }
        }
    }

    /// The int32 accumulators `acc_j = bias_j + Σ_k (x_k − z_in)·w_jk` (any layer); O(rows ·
    /// inputs · units).
    /// - Precondition: `input.count == rows · inputs`, `output.count == rows · units`.
    public func accumulators(
        _ input: UnsafeBufferPointer<UInt8>, rows: Int, into output: UnsafeMutableBufferPointer<Int32>,
        path: IntegerGEMM.Path = .automatic
    ) {
        precondition(output.count == rows * units, "accumulators: output count is not rows × units")
        let units = units, stride = packed.paddedOutputs
        let target = UncheckedSendable(output.baseAddress)
        foldedBias.withUnsafeBufferPointer { bias in
            if IntegerGEMM.dense(
                input, rows: rows, weights: packed, path: path, bias: bias.baseAddress!,
                requantizer: nil, codes: nil, sums: output.baseAddress)
            {
                return
            }
            let bias = UncheckedSendable(bias.baseAddress!)
            IntegerGEMM.forEachRowPanel(input, rows: rows, weights: packed, path: path) {
                firstRow, rowCount, tile in
                for row in 0..<rowCount {
                    let sums = tile + row * stride
                    let out = target.value! + (firstRow + row) * units
                    for unit in 0..<units { out[unit] = sums[unit] &+ bias.value[unit] }
                }
            }
        }
    }

    /// The real pre-activations `s_in · s_j · acc_j`, the one place floating point appears
    /// (the network's final logits).
    /// - Precondition: as ``accumulators(_:rows:into:path:)``.
    public func logits(
        _ input: UnsafeBufferPointer<UInt8>, rows: Int, into output: UnsafeMutableBufferPointer<Float>,
        path: IntegerGEMM.Path = .automatic
    ) {
        precondition(output.count == rows * units, "logits: output count is not rows × units")
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: output.count) { sums in
            accumulators(input, rows: rows, into: sums, path: path)
            dequantizeAccumulators(UnsafeBufferPointer(sums), into: output)
        }
    }

    /// `output[r·units + j] = s_in · s_j · accumulators[r·units + j]`, rounded once to Float.
    public func dequantizeAccumulators(
        _ accumulators: UnsafeBufferPointer<Int32>, into output: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(accumulators.count == output.count, "dequantizeAccumulators: counts differ")
        biasScales.withUnsafeBufferPointer { scales in
            for start in stride(from: 0, to: accumulators.count, by: units) {
                for unit in 0..<Swift.min(units, accumulators.count - start) {
                    output[start + unit] = Float(Double(accumulators[start + unit]) * scales[unit])
                }
            }
        }
    }

    /// The scalar twin of ``accumulators(_:rows:into:path:)``, from the formula with the zero
    /// point subtracted per product (not folded into the bias).
    public func referenceAccumulators(
        _ input: UnsafeBufferPointer<UInt8>, rows: Int, into output: UnsafeMutableBufferPointer<Int32>
    ) {
        precondition(input.count == rows * inputs, "reference: input count is not rows × inputs")
        precondition(output.count == rows * units, "reference: output count is not rows × units")
        let zeroPoint = self.input.zeroPoint
        for row in 0..<rows {
            for unit in 0..<units {
                var sum = bias[unit]
                for k in 0..<inputs {
                    let x = Int32(input[row * inputs + k]) - zeroPoint
                    sum &+= x &* Int32(weights.values[unit * inputs + k])
                }
                output[row * units + unit] = sum
            }
        }
    }

    /// The scalar twin of ``forward(_:rows:into:path:)``: reference accumulators, then
    /// ``Requantizer/referenceRequantize(_:into:)``.
    public func referenceForward(
        _ input: UnsafeBufferPointer<UInt8>, rows: Int, into output: UnsafeMutableBufferPointer<UInt8>
    ) {
        guard let requantizer else { preconditionFailure("forward: this layer produces logits") }
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: output.count) { sums in
            referenceAccumulators(input, rows: rows, into: sums)
            requantizer.referenceRequantize(UnsafeBufferPointer(sums), into: output)
        }
    }
}
