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

    /// output (1,OC) = input (1,C) · weight (OC,C)ᵀ + bias (OC), then max(0, ·) when `relu`:
    /// a batch of one through ``rect_gemv`` (each weight read once, the bias and ReLU applied
    /// as each output is summed). The outputs are split over the threads from
    /// ``BLAS/gemvParallelThreshold`` multiply-adds, so each core reads its share of the
    /// weights; every split gives the same bits.
    /// - Precondition: the CPU runs the CGEMMKernels (``rect_gemm_panel_width()`` > 0); the
    ///   shapes agree; `output` does not overlap the other buffers.
    static func rowForward(
        output: MatrixBuffer<Float>, input: MatrixBuffer<Float>, weight: MatrixBuffer<Float>,
        bias: UnsafePointer<Float>, relu: Bool
    ) {
        precondition(
            input.rows == 1 && output.rows == 1 && input.columns == weight.columns && output.columns == weight.rows,
            "Dense.rowForward: shapes do not agree")
        let start = Profiling.start()
        defer { Profiling.stop(start, .gemm) }
        let (n, k) = (weight.rows, weight.columns)
        let execution = n * k >= BLAS.gemvParallelThreshold ? Execution.current : .serial
        execution.forEachChunk(count: n, minimumChunk: 16, alignment: 16) { block in
            rect_gemv(
                block.count, k, input.base, weight.base + block.lowerBound * k, k, bias + block.lowerBound,
                relu ? 1 : 0, output.base + block.lowerBound)
        }
    }

    /// One dense layer of ``packedForward(_:input:)``: `output` (B,OC) = input · weightᵀ +
    /// bias, then max(0, ·) when `relu`, with `packed` the weight packed by
    /// ``Workspace/packedWeight(_:_:)``.
    struct PackedStep {
        let packed: UnsafePointer<Float>
        let bias: UnsafePointer<Float>?
        let relu: Bool
        let output: MatrixBuffer<Float>
    }

    /// Runs consecutive dense layers on packed weights: the kernels of CGEMMKernels add the
    /// bias and apply the ReLU while each tile is in registers. The rows are split over the
    /// threads (blocks of rows, one per thread, from ``BLAS/parallelThreshold`` multiply-adds
    /// in all), and each thread takes its rows through every layer ``packedPanelRows`` at a
    /// time: a panel's values go from one layer to the next while they are in its core's
    /// cache, and the threads meet once per call instead of once per layer. Every layer's
    /// values land in its `output`, as layer after layer would write them.
    /// - Precondition: the shapes chain (`input` has the first layer's inputs, each output the
    ///   next one's); no output overlaps `input` or another output.
    static func packedForward(_ steps: [PackedStep], input: MatrixBuffer<Float>) {
        let start = Profiling.start()
        defer { Profiling.stop(start, .gemm) }
        let m = input.rows
        var multiplyAdds = 0, k = input.columns
        for step in steps {
            precondition(step.output.rows == m, "Dense.packedForward: shapes do not agree")
            multiplyAdds += step.output.columns * k
            k = step.output.columns
        }
        let execution = m * multiplyAdds >= BLAS.parallelThreshold ? Execution.current : .serial
        execution.forEachChunk(count: m, minimumChunk: 12, alignment: 12) { block in
            for first in stride(from: block.lowerBound, to: block.upperBound, by: packedPanelRows) {
                let rows = Swift.min(packedPanelRows, block.upperBound - first)
                var a = UnsafePointer(input.base + first * input.columns), k = input.columns
                for step in steps {
                    let n = step.output.columns, c = step.output.base + first * n
                    rect_gemm_packed(rows, n, k, a, k, step.packed, step.bias, step.relu ? 1 : 0, c, n)
                    (a, k) = (UnsafePointer(c), n)
                }
            }
        }
    }

    /// Rows a thread takes through all of ``packedForward(_:input:)``'s layers at a time: four
    /// AVX-512 tiles, whose 784-input rows (150 KiB) and outputs stay in a core's L2.
    static var packedPanelRows: Int { 48 }

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
