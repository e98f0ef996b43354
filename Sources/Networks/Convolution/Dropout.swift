import Activations
import Runtime

/// Inverted dropout (Srivastava et al. 2014, as PyTorch's `Dropout`): in training each value
/// is zeroed with probability p and the rest scaled by 1/(1 − p), so inference is the
/// identity. The mask keeps the factor per value (0 or 1/(1 − p)); the backward pass is
/// `dx = g·mask`.
public enum Dropout {
    /// Checks a drop probability.
    /// - Throws: ``NetworkError/invalidArchitecture(field:detail:)`` naming `dropout`
    ///   unless 0 ≤ p ≤ 1 (NaN refused).
    public static func validate(probability: Double) throws(NetworkError) {
        guard probability >= 0, probability <= 1 else {
            throw .invalidArchitecture(field: "dropout", detail: "probability \(probability) is not allowed (0…1)")
        }
    }

    /// output = input·mask with a fresh mask: value i is dropped when the generator's i-th
    /// draw `u` (64 bits, in order) is below p·2⁶⁴; p = 1 drops everything (output 0).
    /// - Precondition: 0 ≤ p ≤ 1; `output`, `input` and `mask` hold `count` values
    ///   (`output` may be `input`).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func trainingForward<T: ActivationScalar>(
        probability: Double, output: UnsafeMutablePointer<T>, input: UnsafePointer<T>,
        mask: UnsafeMutablePointer<T>, count: Int, generator: inout SeededGenerator
    ) {
        precondition(probability >= 0 && probability <= 1, "Dropout: probability outside 0…1")
        if probability == 1 {
            mask.update(repeating: 0, count: count)
            output.update(repeating: 0, count: count)
            return
        }
        // p·2⁶⁴ rounded down; p < 1 keeps it below 2⁶⁴.
        let threshold = UInt64(probability * 0x1p64)
        let kept = T(1 / (1 - probability))
        for index in 0..<count {
            let factor = generator.next() < threshold ? 0 : kept
            mask[index] = factor
            output[index] = input[index] * factor
        }
    }

    /// inputGradient = outputGradient·mask (may be in place).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func backward<T: ActivationScalar>(
        inputGradient: UnsafeMutablePointer<T>, outputGradient: UnsafePointer<T>, mask: UnsafePointer<T>, count: Int
    ) {
        for index in 0..<count { inputGradient[index] = outputGradient[index] * mask[index] }
    }
}
