import Activations

/// How a PReLU layer is made: one slope per unit or one shared, its initial value, and
/// whether weight decay applies to the slopes.
public struct PReLUOptions: Hashable, Sendable {
    /// One slope shared by all units (PyTorch's `num_parameters=1`) instead of one per unit.
    public var shared: Bool
    /// The initial slope, 0.25 by default (He et al. 2015, PyTorch).
    public var initialSlope: Double
    /// Whether weight decay shrinks the slopes. Off by default: decay pulls them towards 0,
    /// i.e. towards ReLU, which He et al. 2015 advise against.
    public var weightDecay: Bool

    /// - Throws: ``NetworkError/invalidHiddenActivation(text:detail:)`` when the initial
    ///   slope is NaN or infinite.
    public init(shared: Bool = false, initialSlope: Double = 0.25, weightDecay: Bool = false)
        throws(NetworkError)
    {
        guard initialSlope.isFinite else {
            throw .invalidHiddenActivation(
                text: "prelu:init=\(initialSlope)", detail: "init must be a finite number")
        }
        self.shared = shared
        self.initialSlope = initialSlope
        self.weightDecay = weightDecay
    }
}

/// The activation of a network's hidden layers: any member of the family, or PReLU with
/// learned slopes. Its text form extends ``Activation``'s spelling with `prelu`:
///
/// | text | meaning |
/// |---|---|
/// | `relu`, `leaky:0.01`, `softplus`, … | a fixed ``Activation`` |
/// | `prelu` | one learned slope per unit, initialised to 0.25, no weight decay |
/// | `prelu:init=0.1` | initial slope 0.1 |
/// | `prelu:shared` | one slope for the whole layer |
/// | `prelu:decay` | weight decay applies to the slopes |
///
/// Options combine with commas in any order: `prelu:shared,init=0.1,decay`.
public enum HiddenActivation: Hashable, Sendable, LosslessStringConvertible {
    case fixed(Activation)
    case prelu(PReLUOptions)

    /// A one-line list of the accepted spellings, for `--help` and error messages.
    public static let spellings = Activation.spellings + ", prelu[:shared,init=A,decay]"

    /// Parses the text form.
    /// - Throws: ``NetworkError/invalidHiddenActivation(text:detail:)`` with the reason in
    ///   one line (the family's own message for a non-PReLU spelling).
    public init(parsing text: String) throws(NetworkError) {
        let trimmed = text.split(separator: " ", omittingEmptySubsequences: true).joined()
        let name = trimmed.prefix { $0 != ":" }.lowercased()
        guard name == "prelu" else {
            do {
                self = .fixed(try Activation(parsing: text))
            } catch {
                throw .invalidHiddenActivation(text: text, detail: error.description)
            }
            return
        }
        var options = try PReLUOptions()
        var seen = Set<String>()
        let body = trimmed.dropFirst(name.count)
        if body.hasPrefix(":") {
            for item in body.dropFirst().split(separator: ",", omittingEmptySubsequences: false) {
                let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
                let key = pair.first ?? ""
                guard seen.insert(key).inserted else {
                    throw .invalidHiddenActivation(text: text, detail: "option '\(key)' given twice")
                }
                switch (key, pair.count) {
                case ("shared", 1): options.shared = true
                case ("decay", 1): options.weightDecay = true
                case ("init", 2):
                    guard let slope = Double(pair[1]), slope.isFinite else {
                        throw .invalidHiddenActivation(
                            text: text, detail: "init must be a finite number, got '\(pair[1])'")
                    }
                    options.initialSlope = slope
                default:
                    throw .invalidHiddenActivation(
                        text: text, detail: "unknown option '\(item)'; expected shared, init=A or decay")
                }
            }
        } else if !body.isEmpty {
            throw .invalidHiddenActivation(text: text, detail: "expected prelu[:shared,init=A,decay]")
        }
        self = .prelu(options)
    }

    /// Failable form of ``init(parsing:)``.
    public init?(_ description: String) {
        guard let parsed = try? HiddenActivation(parsing: description) else { return nil }
        self = parsed
    }

    /// The canonical text form; parsing it gives back an equal value.
    public var description: String {
        switch self {
        case .fixed(let activation):
            return activation.description
        case .prelu(let options):
            var parts: [String] = []
            if options.shared { parts.append("shared") }
            if options.initialSlope != 0.25 { parts.append("init=\(options.initialSlope)") }
            if options.weightDecay { parts.append("decay") }
            return parts.isEmpty ? "prelu" : "prelu:" + parts.joined(separator: ",")
        }
    }

    /// The negative slope He initialisation assumes for the layer feeding this activation:
    /// α for leaky ReLU and PReLU (its initial slope), −1 for abs, 1 for SELU (gain
    /// √(2/(1 + 1)) = 1: LeCun normal, N(0, 1/fanIn), which SELU's self-normalisation
    /// needs), 0 otherwise (gain √2, He's rectifier gain, also for GELU, SiLU, ELU and Mish).
    public var negativeSlopeForInitialization: Double {
        switch self {
        case .fixed(.leakyReLU(let leaky)): return leaky.negativeSlope
        case .fixed(.abs): return -1
        case .fixed(.selu): return 1
        case .fixed: return 0
        case .prelu(let options): return options.initialSlope
        }
    }
}
