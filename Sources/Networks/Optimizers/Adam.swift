import Activations

#if canImport(Glibc)
import Glibc
#endif

/// Adam's and AdamW's update at step t (from 1), with the bias corrections of the paper,
/// arranged as PyTorch's `torch.optim.Adam`/`AdamW` do:
///
/// ```
/// AdamW:  p ← p·(1 − η·λ)                       (decoupled decay)
/// Adam:   g ← ∇ + λ·p                           (L2 added to the gradient)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// p ← p − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// ```
struct AdamRule<T: ActivationScalar>: Sendable {
    let weightDecay: T, shrink: T, beta1: T, beta2: T, epsilon: T
    let stepSize: T, inverseCorrection2: T

    init(
        learningRate: Double, weightDecay: Double, decoupled: Bool, beta1: Double, beta2: Double,
        epsilon: Double, step: Int
    ) {
        self.weightDecay = decoupled ? 0 : T(weightDecay)
        shrink = T(decoupled ? 1 - learningRate * weightDecay : 1)
        self.beta1 = T(beta1)
        self.beta2 = T(beta2)
        self.epsilon = T(epsilon)
        stepSize = T(learningRate / (1 - pow(beta1, Double(step))))
        inverseCorrection2 = T(1 / (1 - pow(beta2, Double(step))).squareRoot())
    }

    /// p = parameters, g = gradients, m = exp_avg, v = exp_avg_sq.
    ///
    /// Eight lanes at a time: a scalar `squareRoot()` compiles to a branch around libm's
    /// `sqrt` (for errno), which stops the loop from vectorising; the vector square root
    /// does not. Lanes and the scalar tail do the same IEEE operations, so the result does
    /// not depend on where a chunk starts.
    @inline(__always)
    func apply(
        _ p: UnsafeMutablePointer<T>, _ g: UnsafeMutablePointer<T>, _ m: UnsafeMutablePointer<T>,
        _ v: UnsafeMutablePointer<T>, _ range: Range<Int>
    ) {
        typealias Lanes = SIMD8<T>
        let beta1s = Lanes(repeating: beta1), beta2s = Lanes(repeating: beta2)
        let oneMinusBeta1s = Lanes(repeating: 1 - beta1), oneMinusBeta2s = Lanes(repeating: 1 - beta2)
        let shrinks = Lanes(repeating: shrink), decays = Lanes(repeating: weightDecay)
        let stepSizes = Lanes(repeating: stepSize), corrections = Lanes(repeating: inverseCorrection2)
        let epsilons = Lanes(repeating: epsilon)
        var i = range.lowerBound
        while i + Lanes.scalarCount <= range.upperBound {
            let parameter = Lanes.load(p + i) * shrinks
            let gradient = Lanes.load(g + i) + decays * parameter
            let first = beta1s * Lanes.load(m + i) + oneMinusBeta1s * gradient
            let second = beta2s * Lanes.load(v + i) + oneMinusBeta2s * gradient * gradient
            first.store(to: m + i)
            second.store(to: v + i)
            (parameter - stepSizes * first / (second.squareRoot() * corrections + epsilons)).store(to: p + i)
            i += Lanes.scalarCount
        }
        while i < range.upperBound {
            let parameter = p[i] * shrink
            let gradient = g[i] + weightDecay * parameter
            let first = beta1 * m[i] + (1 - beta1) * gradient
            let second = beta2 * v[i] + (1 - beta2) * gradient * gradient
            m[i] = first
            v[i] = second
            p[i] = parameter - stepSize * first / (second.squareRoot() * inverseCorrection2 + epsilon)
            i += 1
        }
    }
}

extension SIMD where Scalar: ActivationScalar {
    /// The lanes at `pointer` (no alignment required).
    @inline(__always)
    static func load(_ pointer: UnsafeMutablePointer<Scalar>) -> Self {
        UnsafeRawPointer(pointer).loadUnaligned(as: Self.self)
    }

    /// Writes the lanes to `pointer` (no alignment required).
    @inline(__always)
    func store(to pointer: UnsafeMutablePointer<Scalar>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: Self.self)
    }
}
