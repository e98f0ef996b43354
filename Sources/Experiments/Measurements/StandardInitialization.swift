import Networks

extension Initialization {
    /// The usual scheme for a hidden activation, times `scale`: He normal (fan-in, with the
    /// activation's negative slope) for the rectifiers and softplus, Glorot normal for
    /// sigmoid and tanh.
    /// - Precondition: `scale` is finite and > 0.
    static func standard(for activation: HiddenActivation, scale: Double = 1) -> Initialization {
        let scheme: Scheme
        switch activation {
        case .fixed(.sigmoid), .fixed(.tanh): scheme = .glorotNormal
        default: scheme = .heNormal
        }
        // A finite, positive scale is the caller's invariant.
        return try! Initialization(scheme: scheme, scale: scale)
    }

    /// "He" or "Glorot", for tables and captions.
    var schemeFamily: String {
        switch scheme {
        case .heNormal, .heUniform: "He"
        case .glorotNormal, .glorotUniform: "Glorot"
        }
    }
}
