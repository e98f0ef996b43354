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
    @inline(__always)
    func apply(
        _ p: UnsafeMutablePointer<T>, _ g: UnsafeMutablePointer<T>, _ m: UnsafeMutablePointer<T>,
        _ v: UnsafeMutablePointer<T>, _ range: Range<Int>
    ) {
        let oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2
        for i in range {
            let parameter = p[i] * shrink
            let gradient = g[i] + weightDecay * parameter
            let first = beta1 * m[i] + oneMinusBeta1 * gradient
            let second = beta2 * v[i] + oneMinusBeta2 * gradient * gradient
            m[i] = first
            v[i] = second
            p[i] = parameter - stepSize * first / (second.squareRoot() * inverseCorrection2 + epsilon)
        }
    }
}
