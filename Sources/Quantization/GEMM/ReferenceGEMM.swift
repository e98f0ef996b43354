extension IntegerGEMM {
    /// The scalar twin of ``multiply(_:rows:weights:into:path:)``, straight from the formula
    /// on the unpacked int8 weights: `c[r·outputs + j] = Σ_k a[r·inputs + k] · W[j][k]`,
    /// wrapping in int32. The fast paths are tested against it bit for bit.
    /// - Precondition: `a.count == rows · weights.inputs`, `c.count == rows · weights.outputs`.
    public static func reference(
        _ a: UnsafeBufferPointer<UInt8>, rows: Int, weights: QuantizedWeights,
        into c: UnsafeMutableBufferPointer<Int32>
    ) {
        let inputs = weights.inputs, outputs = weights.outputs
        precondition(a.count == rows * inputs, "reference GEMM: input count is not rows × inputs")
        precondition(c.count == rows * outputs, "reference GEMM: output count is not rows × outputs")
        for row in 0..<rows {
            for unit in 0..<outputs {
                var sum: Int32 = 0
                for k in 0..<inputs {
                    sum &+= Int32(a[row * inputs + k]) &* Int32(weights.values[unit * inputs + k])
                }
                c[row * outputs + unit] = sum
            }
        }
    }
}
