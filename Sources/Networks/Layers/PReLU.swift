import Activations
import Runtime

/// The parametric ReLU's kernels (He et al. 2015): leaky ReLU whose negative slopes are
/// learned, one per unit (α_c) or one shared by all units, as PyTorch's `num_parameters`.
/// Shapes below: B = batch, C = units, S = slopes (C or 1).
///
/// Each element is ``LeakyReLU`` with α = α_c, through its lane functions
/// (``LeakyReLU/value(_:slope:)``, ``LeakyReLU/derivative(_:negative:zero:)``): −0 stays −0,
/// a zero slope gives 0 (also for −∞), NaN propagates into values and gradients, and the
/// derivative at 0 is α_c, the left slope, as PyTorch.
public enum PReLU {
    /// output (B,C) = leaky(input) with slope slopes[c]; slopes (S), S = C or 1.
    /// - Precondition: shapes agree; `slopeCount` is C or 1.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func forward<T: ActivationScalar>(
        output: MatrixBuffer<T>, input: MatrixBuffer<T>, slopes: UnsafePointer<T>,
        slopeCount: Int
    ) {
        precondition(
            output.rows == input.rows && output.columns == input.columns
                && (slopeCount == input.columns || slopeCount == 1), "PReLU.forward: shapes")
        let start = Profiling.start()
        defer { Profiling.stop(start, .activations) }
        let units = input.columns
        if T.self == Float.self && slopeCount == units {
            PerUnitSlopeKernel.forward(
                input: UnsafeRawPointer(input.base).assumingMemoryBound(to: Float.self),
                output: UnsafeMutableRawPointer(output.base).assumingMemoryBound(to: Float.self),
                rows: input.rows, units: units,
                slopes: UnsafeRawPointer(slopes).assumingMemoryBound(to: Float.self))
            return
        }
        for row in 0..<input.rows {
            let x = input.base + row * units, y = output.base + row * units
            if slopeCount == 1 {
                let slope = slopes[0]
                for c in 0..<units { y[c] = LeakyReLU.value(x[c], slope: slope) }
            } else {
                for c in 0..<units { y[c] = LeakyReLU.value(x[c], slope: slopes[c]) }
            }
        }
    }

    /// The backward pass of ``forward(output:input:slopes:slopeCount:)``:
    ///
    /// ```
    /// inputGradient (B,C) = outputGradient · leaky′(input) with slope α_c
    /// slopeGradient (S)   = Σ_b outputGradient · min(0, input)   (and Σ over c when S = 1)
    /// ```
    ///
    /// With `accumulate` the slope gradient is added to; otherwise overwritten.
    /// `inputGradient` may be `outputGradient` (in place), or nil to skip it.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func backward<T: ActivationScalar>(
        inputGradient: MatrixBuffer<T>?, slopeGradient: UnsafeMutablePointer<T>,
        outputGradient: MatrixBuffer<T>, input: MatrixBuffer<T>, slopes: UnsafePointer<T>,
        slopeCount: Int, accumulate: Bool
    ) {
        precondition(
            outputGradient.rows == input.rows && outputGradient.columns == input.columns
                && (slopeCount == input.columns || slopeCount == 1), "PReLU.backward: shapes")
        let start = Profiling.start()
        defer { Profiling.stop(start, .activations) }
        let units = input.columns
        if !accumulate { slopeGradient.update(repeating: 0, count: slopeCount) }
        var sharedSum: T = 0
        for row in 0..<input.rows {
            let x = input.base + row * units, g = outputGradient.base + row * units
            if slopeCount == 1 {
                for c in 0..<units { sharedSum += x[c] < 0 ? g[c] * x[c] : 0 }
            } else {
                for c in 0..<units { slopeGradient[c] += x[c] < 0 ? g[c] * x[c] : 0 }
            }
            if let inputGradient {
                let dx = inputGradient.base + row * units
                if slopeCount == 1 {
                    let slope = slopes[0]
                    for c in 0..<units { dx[c] = g[c] * LeakyReLU.derivative(x[c], negative: slope, zero: slope) }
                } else {
                    for c in 0..<units { dx[c] = g[c] * LeakyReLU.derivative(x[c], negative: slopes[c], zero: slopes[c]) }
                }
            }
        }
        if slopeCount == 1 { slopeGradient[0] += sharedSum }
    }
}
