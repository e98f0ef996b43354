import Activations

/// The activation a quantised layer applies, fused into its requantisation (no separate pass):
///
/// ```
/// code_j = clamp(z_out + round(acc_j · M_j⁺ or M_j⁻), lower, 255)    (M⁻ when acc_j < 0)
/// ```
///
/// - identity: `M⁻ = M⁺`, lower = 0.
/// - ReLU: the lower clamp is the output zero point (real 0); nothing else.
/// - leaky ReLU and PReLU: the negative side has its own fixed-point multiplier `M⁻ = α·M⁺`
///   (α per unit for PReLU), so `α·x` is rounded once, exactly like the positive side.
/// - any other member: requantise to the table's input codes, then one table look-up.
public enum QuantizedActivation: Hashable, Sendable {
    case identity
    case relu
    case leakyReLU(negativeSlope: Double)
    /// One slope per unit, or a single slope shared by every unit.
    case prelu(slopes: [Double])
    case table(ActivationTable)

    /// The fused form of a family member: piecewise-linear members become clamps and slopes,
    /// the others a table from `preActivation` codes to `output` codes.
    public init(
        _ activation: Activation, preActivation: QuantizationParameters,
        output: QuantizationParameters
    ) {
        switch activation {
        case .identity: self = .identity
        case .relu: self = .relu
        case .leakyReLU(let leaky): self = .leakyReLU(negativeSlope: leaky.negativeSlope)
        case .abs, .softplus, .sigmoid, .tanh, .gelu, .silu, .elu, .selu, .mish:
            self = .table(ActivationTable(activation, input: preActivation, output: output))
        }
    }

    /// The negative-side slope of unit `unit` (1 for the identity and tables, 0 for ReLU).
    func negativeSlope(unit: Int) -> Double {
        switch self {
        case .identity, .table: return 1
        case .relu: return 0
        case .leakyReLU(let slope): return slope
        case .prelu(let slopes): return slopes.count == 1 ? slopes[0] : slopes[unit]
        }
    }
}
