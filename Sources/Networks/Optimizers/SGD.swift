import Activations

/// SGD's update, as PyTorch's `torch.optim.SGD` (dampening 0):
///
/// ```
/// g ← ∇ + λ·p
/// b ← μ·b + g                       (μ > 0; b starts at 0, so the first b is g)
/// g ← nesterov ? g + μ·b : b        (μ > 0)
/// p ← p − η·g
/// ```
struct SGDRule<T: ActivationScalar>: Sendable {
    let learningRate: T, weightDecay: T, momentum: T, nesterov: Bool

    init(learningRate: Double, weightDecay: Double, momentum: Double, nesterov: Bool) {
        self.learningRate = T(learningRate)
        self.weightDecay = T(weightDecay)
        self.momentum = T(momentum)
        self.nesterov = nesterov
    }

    /// p = parameters, g = gradients, b = momentum buffer (nil without momentum).
    @inline(__always)
    func apply(
        _ p: UnsafeMutablePointer<T>, _ g: UnsafeMutablePointer<T>, _ b: UnsafeMutablePointer<T>?,
        _ range: Range<Int>
    ) {
        guard let b else {
            for i in range { p[i] -= learningRate * (g[i] + weightDecay * p[i]) }
            return
        }
        if nesterov {
            for i in range {
                let gradient = g[i] + weightDecay * p[i]
                b[i] = momentum * b[i] + gradient
                p[i] -= learningRate * (gradient + momentum * b[i])
            }
        } else {
            for i in range {
                b[i] = momentum * b[i] + (g[i] + weightDecay * p[i])
                p[i] -= learningRate * b[i]
            }
        }
    }
}
