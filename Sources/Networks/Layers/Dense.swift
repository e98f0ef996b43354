import Activations
import CGEMMKernels
import Runtime

/// The fully connected layer's kernels, in PyTorch's layout: the weight is `[out, in]`
/// row-major and `y = x·Wᵀ + b`, so a checkpoint tensor or an ONNX `Gemm` with `transB = 1`
/// maps to it directly. Shapes below: B = batch, C = inputs, OC = outputs.
public enum Dense {
    /// output (B,OC) = input (B,C) · weight (OC,C)ᵀ + bias (OC).
    ///
    /// The bias is copied into every row of `output` first and the product added onto it
    /// (one GEMM with β = 1), so the bias costs one pass that the GEMM would make anyway.
    /// - Precondition: the shapes agree; `output` does not overlap the other buffers.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func forward<T: ActivationScalar>(
        output: MatrixBuffer<T>, input: MatrixBuffer<T>, weight: MatrixBuffer<T>,
        bias: UnsafePointer<T>?
    ) {
        precondition(
            input.columns == weight.columns && output.columns == weight.rows
                && output.rows == input.rows, "Dense.forward: shapes do not agree")
        if let bias {
            for row in 0..<output.rows {
                (output.base + row * output.columns).update(from: bias, count: output.columns)
            }
        }
        BLAS.gemm(input, weight, into: output, transposeB: true, beta: bias == nil ? 0 : 1)
    }

    /// output (B,OC) = input (B,C) · weight (OC,C)ᵀ + bias (OC), then max(0, ·) when `relu`,
    /// with `packed` the weight packed by ``Workspace/packedWeight(_:_:)``: the kernels of
    /// CGEMMKernels add the bias and apply the ReLU while each tile is in registers. Threads
    /// as ``BLAS/gemm(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``: blocks
    /// of rows, one per thread.
    /// - Precondition: `T` is Float; the shapes agree; `output` does not overlap `input`.
    static func packedForward<T: ActivationScalar>(
        output: MatrixBuffer<T>, input: MatrixBuffer<T>, packed: UnsafePointer<Float>,
        bias: UnsafePointer<T>?, relu: Bool
    ) {
        precondition(T.self == Float.self && output.rows == input.rows, "Dense.packedForward: Float only")
        let start = Profiling.start()
        defer { Profiling.stop(start, .gemm) }
        let m = input.rows, n = output.columns, k = input.columns
        let a = UnsafeRawPointer(input.base).assumingMemoryBound(to: Float.self)
        let c = UnsafeMutableRawPointer(output.base).assumingMemoryBound(to: Float.self)
        let b = bias.map { UnsafeRawPointer($0).assumingMemoryBound(to: Float.self) }
        let execution = m * n * k >= BLAS.parallelThreshold ? Execution.current : .serial
        execution.forEachChunk(count: m, minimumChunk: 12, alignment: 12) { block in
            rect_gemm_packed(
                block.count, n, k, a + block.lowerBound * k, k, packed, b, relu ? 1 : 0,
                c + block.lowerBound * n, n)
        }
    }

    /// The backward pass of ``forward(output:input:weight:bias:)``:
    ///
    /// ```
    /// weightGradient (OC,C)  = outputGradientᵀ (OC,B) · input (B,C)
    /// biasGradient   (OC)    = Σ_b outputGradient[b, :]
    /// inputGradient  (B,C)   = outputGradient (B,OC) · weight (OC,C)
    /// ```
    ///
    /// With `accumulate` the parameter gradients are added to what the buffers hold (for
    /// layers used several times, as in a recurrent layer); otherwise they are overwritten.
    /// `inputGradient` is skipped when nil (the first layer needs none).
    /// - Precondition: the shapes agree; outputs do not overlap inputs.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func backward<T: ActivationScalar>(
        inputGradient: MatrixBuffer<T>?, weightGradient: MatrixBuffer<T>,
        biasGradient: UnsafeMutablePointer<T>?, outputGradient: MatrixBuffer<T>,
        input: MatrixBuffer<T>, weight: MatrixBuffer<T>, accumulate: Bool
    ) {
        precondition(
            outputGradient.rows == input.rows && outputGradient.columns == weight.rows
                && input.columns == weight.columns && weightGradient.rows == weight.rows
                && weightGradient.columns == weight.columns, "Dense.backward: shapes do not agree")
        BLAS.gemm(
            outputGradient, input, into: weightGradient, transposeA: true,
            beta: accumulate ? 1 : 0)
        if let biasGradient {
            columnSums(outputGradient, into: biasGradient, accumulate: accumulate)
        }
        if let inputGradient {
            precondition(
                inputGradient.rows == input.rows && inputGradient.columns == input.columns,
                "Dense.backward: input gradient shape")
            BLAS.gemm(outputGradient, weight, into: inputGradient)
        }
    }

    /// sums (C) (+)= Σ_r matrix[r, :], row after row (a fixed order, vectorised across C).
    @inline(__always)
    static func columnSums<T: ActivationScalar>(
        _ matrix: MatrixBuffer<T>, into sums: UnsafeMutablePointer<T>, accumulate: Bool
    ) {
        if !accumulate { sums.update(repeating: 0, count: matrix.columns) }
        for row in 0..<matrix.rows {
            let values = matrix.base + row * matrix.columns
            for column in 0..<matrix.columns { sums[column] += values[column] }
        }
    }
}
