/// One member of the family with its parameters: the value a layer, a plot, a checkpoint or
/// the command line refers to.
///
/// ```swift
/// let hidden: Activation = .relu
/// let leaky = try Activation.leakyReLU(negativeSlope: 0.01)
/// let soft = try Activation(parsing: "softplus:beta=2,threshold=20")
/// soft.value(1.0 as Double)           // 1.0634640055214861
/// ```
///
/// The text form (``init(parsing:)`` and ``description``) is the one spelling used
/// everywhere: `identity`, `relu`, `leaky:α`, `abs`, `softplus[:beta=B,threshold=T]`,
/// `sigmoid`, `tanh`, `gelu`, `gelu:tanh`, `silu`, `elu[:alpha=A]`, `selu`, `mish`.
public enum Activation: Hashable, Sendable {
    case identity
    case relu(ReLU)
    case leakyReLU(LeakyReLU)
    case abs
    case softplus(Softplus)
    case sigmoid
    case tanh
    case gelu(GELU)
    case silu
    case elu(ELU)
    case selu
    case mish

    /// ReLU with the default derivative at 0 (zero).
    public static var relu: Activation { .relu(ReLU()) }
    /// Softplus with PyTorch's defaults (β = 1, threshold = 20).
    public static var softplus: Activation { .softplus(Softplus()) }
    /// GELU with the error function (not the tanh approximation).
    public static var gelu: Activation { .gelu(GELU()) }
    /// ELU with α = 1.
    public static var elu: Activation { .elu(ELU()) }

    /// ELU with saturation −α for negative inputs.
    /// - Throws: ``ActivationError`` when α is not a finite number > 0.
    public static func elu(alpha: Double) throws(ActivationError) -> Activation {
        .elu(try ELU(alpha: alpha))
    }

    /// Leaky ReLU with slope α for negative inputs (the leaky regime is 0 < α < 1).
    /// - Throws: ``ActivationError`` when α is NaN or infinite.
    public static func leakyReLU(negativeSlope: Double) throws(ActivationError) -> Activation {
        .leakyReLU(try LeakyReLU(negativeSlope: negativeSlope))
    }

    /// Softplus with PyTorch's options.
    /// - Throws: ``ActivationError`` when β ≤ 0, β is not finite, or the threshold is NaN.
    public static func softplus(beta: Double, threshold: Double = 20) throws(ActivationError)
        -> Activation
    {
        .softplus(try Softplus(beta: beta, threshold: threshold))
    }

    /// Every member with its default parameters, in the order tables and plots use.
    public static let family: [Activation] = [
        .identity, .relu, .leakyReLU(LeakyReLU()), .abs, .softplus, .sigmoid, .tanh,
        .gelu, .gelu(GELU(approximation: .tanh)), .silu, .elu, .selu, .mish,
    ]

    /// f(x), from the member's scalar definition.
    @inlinable
    public func value<T: ActivationScalar>(_ x: T) -> T {
        switch self {
        case .identity: return Identity().value(x)
        case .relu(let f): return f.value(x)
        case .leakyReLU(let f): return f.value(x)
        case .abs: return Absolute().value(x)
        case .softplus(let f): return f.value(x)
        case .sigmoid: return Sigmoid().value(x)
        case .tanh: return Tanh().value(x)
        case .gelu(let f): return f.value(x)
        case .silu: return SiLU().value(x)
        case .elu(let f): return f.value(x)
        case .selu: return SELU().value(x)
        case .mish: return Mish().value(x)
        }
    }

    /// f′(x), from the member's scalar definition (conventions at kinks as documented there).
    @inlinable
    public func derivative<T: ActivationScalar>(_ x: T) -> T {
        switch self {
        case .identity: return Identity().derivative(x)
        case .relu(let f): return f.derivative(x)
        case .leakyReLU(let f): return f.derivative(x)
        case .abs: return Absolute().derivative(x)
        case .softplus(let f): return f.derivative(x)
        case .sigmoid: return Sigmoid().derivative(x)
        case .tanh: return Tanh().derivative(x)
        case .gelu(let f): return f.derivative(x)
        case .silu: return SiLU().derivative(x)
        case .elu(let f): return f.derivative(x)
        case .selu: return SELU().derivative(x)
        case .mish: return Mish().derivative(x)
        }
    }

    /// What a layer must keep from the forward pass for the backward pass.
    public var savedForBackward: SavedForBackward {
        switch self {
        case .identity: return .output
        case .relu(let f): return f.savedForBackward
        case .leakyReLU(let f): return f.savedForBackward
        case .abs, .softplus, .sigmoid, .tanh, .gelu, .silu, .elu, .selu, .mish: return .input
        }
    }

    /// f′ read off the forward output y = f(x). Valid only when
    /// ``savedForBackward`` is `.output`.
    @inlinable
    public func derivative<T: ActivationScalar>(fromOutput y: T) -> T {
        switch self {
        case .identity: return Identity().derivative(fromOutput: y)
        case .relu(let f): return f.derivative(fromOutput: y)
        case .leakyReLU(let f): return f.derivative(fromOutput: y)
        case .abs, .softplus, .sigmoid, .tanh, .gelu, .silu, .elu, .selu, .mish:
            preconditionFailure("\(self) needs its input for the backward pass")
        }
    }

    /// The member as a piecewise-linear one (identity, ReLU, leaky ReLU, abs: exact in any
    /// precision), or nil for the transcendental members.
    package var piecewiseLinear: (any PiecewiseLinearActivation)? {
        switch self {
        case .identity: return Identity()
        case .relu(let f): return f
        case .leakyReLU(let f): return f
        case .abs: return Absolute()
        case .softplus, .sigmoid, .tanh, .gelu, .silu, .elu, .selu, .mish: return nil
        }
    }

    /// True for the members that are piecewise linear (exact in any precision).
    public var isPiecewiseLinear: Bool { piecewiseLinear != nil }

    /// A name for tables and legends, e.g. "leaky ReLU (α=0.01)".
    public var displayName: String {
        switch self {
        case .identity: return "identity"
        case .relu(let f):
            return f.derivativeAtZero == 0 ? "ReLU" : "ReLU (relu′(0)=\(f.derivativeAtZero))"
        case .leakyReLU(let f): return "leaky ReLU (α=\(f.negativeSlope))"
        case .abs: return "abs"
        case .softplus(let f):
            return f == Softplus() ? "softplus" : "softplus (β=\(f.beta), threshold=\(f.threshold))"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .gelu(let f): return f.approximation == .tanh ? "GELU (tanh)" : "GELU"
        case .silu: return "SiLU"
        case .elu(let f): return f.alpha == 1 ? "ELU" : "ELU (α=\(f.alpha))"
        case .selu: return "SELU"
        case .mish: return "Mish"
        }
    }
}
