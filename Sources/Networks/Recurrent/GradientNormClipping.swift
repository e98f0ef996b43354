import Activations

/// Gradient-norm clipping (Pascanu, Mikolov & Bengio 2013): when the gradient's Euclidean
/// norm exceeds a threshold, scale the whole gradient down to that norm, keeping its
/// direction. The cure for the rare huge steps of back-propagation through time.
///
/// ```
/// ‖g‖ > c  ⇒  g ← g · c/‖g‖
/// ```
public enum GradientNormClipping {
    /// Clips `gradients` (e.g. ``ParameterStore/gradients``) to Euclidean norm
    /// `maximumNorm` and returns the norm before clipping (∞ or NaN leave the buffer
    /// untouched, so the caller can see and refuse the step). Time O(n); the sum of squares
    /// is taken in Double with eight accumulators.
    /// - Precondition: `maximumNorm > 0`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    @discardableResult
    public static func clip<Scalar: ActivationScalar>(
        _ gradients: UnsafeMutableBufferPointer<Scalar>, maximumNorm: Double
    ) -> Double {
        precondition(maximumNorm > 0, "GradientNormClipping: maximum norm must be > 0")
        let norm = euclideanNorm(UnsafeBufferPointer(gradients))
        guard norm.isFinite, norm > maximumNorm else { return norm }
        let scale = Scalar(maximumNorm / norm)
        for index in gradients.indices { gradients[index] *= scale }
        return norm
    }

    /// √(Σ gᵢ²), summed in Double.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func euclideanNorm<Scalar: ActivationScalar>(_ values: UnsafeBufferPointer<Scalar>) -> Double {
        var sums = SIMD8<Double>()
        var index = 0
        while index + 8 <= values.count {
            var lanes = SIMD8<Double>()
            for lane in 0..<8 { lanes[lane] = Double(values[index + lane]) }
            sums += lanes * lanes
            index += 8
        }
        var total = sums.sum()
        while index < values.count {
            total += Double(values[index]) * Double(values[index])
            index += 1
        }
        return total.squareRoot()
    }
}
