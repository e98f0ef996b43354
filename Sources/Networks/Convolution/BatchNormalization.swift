import Activations
import Runtime

/// Batch normalisation (Ioffe & Szegedy 2015) with PyTorch's conventions (`BatchNorm2d`,
/// or `BatchNorm1d` when S = 1). Input and output are (B, C·S): channel c of sample n is
/// the S values at `n·C·S + c·S` (S = H·W after a convolution, 1 after a dense layer).
/// Statistics are per channel over the M = B·S values:
///
/// ```
/// training:  μ = mean(x),  σ² = mean((x − μ)²)              (biased, used to normalise)
///            running_mean ← (1 − m)·running_mean + m·μ
///            running_var  ← (1 − m)·running_var  + m·σ²·M/(M − 1)   (unbiased; σ² when M = 1)
/// inference: μ, σ² = running_mean, running_var
/// y = γ·(x − μ)/√(σ² + ε) + β                                  (weight γ, bias β)
/// ```
///
/// Sums are taken in Double, whatever the element type. Channels are split across threads.
public enum BatchNormalization {
    /// PyTorch's defaults.
    public static let defaultMomentum = 0.1
    public static let defaultEpsilon = 1e-5

    /// 1/√(σ² + ε) in Double: the factor inference normalises a channel by (and folds into a
    /// convolution's weights).
    public static func inverseDeviation(_ variance: Double, epsilon: Double = defaultEpsilon) -> Double {
        1 / (variance + epsilon).squareRoot()
    }

    /// Normalises with the batch's statistics, updates the running ones, and keeps μ and
    /// 1/√(σ² + ε) per channel in `savedMean` and `savedInverseDeviation` for the backward pass.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func trainingForward<T: ActivationScalar>(
        channels: Int, spatial: Int, output: MatrixBuffer<T>, input: MatrixBuffer<T>,
        weight: UnsafePointer<T>, bias: UnsafePointer<T>,
        runningMean: UnsafeMutablePointer<T>, runningVariance: UnsafeMutablePointer<T>,
        savedMean: UnsafeMutablePointer<T>, savedInverseDeviation: UnsafeMutablePointer<T>,
        momentum: Double = defaultMomentum, epsilon: Double = defaultEpsilon
    ) {
        check(channels, spatial, input, output)
        let count = input.rows * spatial
        forEachChannel(channels, values: input.count) { c in
            var sum = 0.0
            forEachValue(of: c, channels, spatial, input) { sum += Double($0.pointee) }
            let mean = sum / Double(count)
            var squares = 0.0
            forEachValue(of: c, channels, spatial, input) {
                let centred = Double($0.pointee) - mean
                squares += centred * centred
            }
            let variance = squares / Double(count)
            let unbiased = count > 1 ? squares / Double(count - 1) : variance
            runningMean[c] = T((1 - momentum) * Double(runningMean[c]) + momentum * mean)
            runningVariance[c] = T((1 - momentum) * Double(runningVariance[c]) + momentum * unbiased)
            savedMean[c] = T(mean)
            savedInverseDeviation[c] = T(1 / (variance + epsilon).squareRoot())
            normalize(c, channels, spatial, output, input, mean: savedMean[c],
                      scale: savedInverseDeviation[c] * weight[c], shift: bias[c])
        }
    }

    /// Normalises with the running statistics.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func inferenceForward<T: ActivationScalar>(
        channels: Int, spatial: Int, output: MatrixBuffer<T>, input: MatrixBuffer<T>,
        weight: UnsafePointer<T>, bias: UnsafePointer<T>,
        runningMean: UnsafePointer<T>, runningVariance: UnsafePointer<T>, epsilon: Double = defaultEpsilon
    ) {
        check(channels, spatial, input, output)
        forEachChannel(channels, values: input.count) { c in
            let inverse = T(inverseDeviation(Double(runningVariance[c]), epsilon: epsilon))
            normalize(c, channels, spatial, output, input, mean: runningMean[c], scale: inverse * weight[c], shift: bias[c])
        }
    }

    /// The backward pass, with x̂ = (x − μ)·r recomputed from the input (r the saved
    /// inverse deviation) and sums over the channel's M values:
    ///
    /// ```
    /// dβ = Σ g,   dγ = Σ g·x̂
    /// training:  dx = γ·r/M · (M·g − dβ − x̂·dγ)     (μ and σ² depend on x)
    /// inference: dx = γ·r·g                          (pass the running mean and r = 1/√(running_var + ε))
    /// ```
    ///
    /// Parameter gradients are overwritten; `inputGradient` may be `outputGradient` (in place).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func backward<T: ActivationScalar>(
        channels: Int, spatial: Int, inputGradient: MatrixBuffer<T>?,
        weightGradient: UnsafeMutablePointer<T>, biasGradient: UnsafeMutablePointer<T>,
        outputGradient: MatrixBuffer<T>, input: MatrixBuffer<T>, weight: UnsafePointer<T>,
        mean: UnsafePointer<T>, inverseDeviation: UnsafePointer<T>, training: Bool
    ) {
        check(channels, spatial, input, outputGradient)
        let count = Double(input.rows * spatial)
        forEachChannel(channels, values: input.count) { c in
            let mu = Double(mean[c]), r = Double(inverseDeviation[c])
            var sumG = 0.0, sumGX = 0.0
            forEachValue(of: c, channels, spatial, input) { x in
                let g = Double(outputGradient.base[x - input.base])
                sumG += g
                sumGX += g * (Double(x.pointee) - mu) * r
            }
            biasGradient[c] = T(sumG)
            weightGradient[c] = T(sumGX)
            guard let inputGradient else { return }
            let gamma = Double(weight[c])
            forEachValue(of: c, channels, spatial, input) { x in
                let offset = x - input.base
                let g = Double(outputGradient.base[offset])
                if training {
                    let normalized = (Double(x.pointee) - mu) * r
                    inputGradient.base[offset] = T(gamma * r / count * (count * g - sumG - normalized * sumGX))
                } else {
                    inputGradient.base[offset] = T(gamma * r * g)
                }
            }
        }
    }

    private static func check<T>(_ channels: Int, _ spatial: Int, _ input: MatrixBuffer<T>, _ output: MatrixBuffer<T>) {
        precondition(
            channels >= 1 && spatial >= 1 && input.columns == channels * spatial
                && output.columns == input.columns && output.rows == input.rows && input.rows >= 1,
            "BatchNormalization: shapes do not agree")
    }

    /// y = (x − mean)·scale + shift over channel c.
    @inline(__always)
    private static func normalize<T: ActivationScalar>(
        _ c: Int, _ channels: Int, _ spatial: Int, _ output: MatrixBuffer<T>, _ input: MatrixBuffer<T>,
        mean: T, scale: T, shift: T
    ) {
        for n in 0..<input.rows {
            let offset = n * channels * spatial + c * spatial
            let x = input.base + offset, y = output.base + offset
            for s in 0..<spatial { y[s] = (x[s] - mean) * scale + shift }
        }
    }

    /// Calls `body` with a pointer to each of channel c's values, sample after sample.
    @inline(__always)
    private static func forEachValue<T>(
        of c: Int, _ channels: Int, _ spatial: Int, _ input: MatrixBuffer<T>, _ body: (UnsafeMutablePointer<T>) -> Void
    ) {
        for n in 0..<input.rows {
            let x = input.base + n * channels * spatial + c * spatial
            for s in 0..<spatial { body(x + s) }
        }
    }

    /// Runs `body` for every channel, channels split across threads when there are many values.
    @inline(__always)
    private static func forEachChannel(_ channels: Int, values: Int, _ body: (Int) -> Void) {
        let minimum = Swift.max(1, channels * (1 << 16) / Swift.max(1, values))
        Execution.current.forEachChunk(count: channels, minimumChunk: minimum, alignment: 1) { range in
            for c in range { body(c) }
        }
    }
}
