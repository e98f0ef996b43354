import Activations

/// An activation on 8-bit codes: 256 entries mapping each input code to the output code of
/// the activation's own scalar definition (``Activation/value(_:)``, evaluated in Double):
///
/// ```
/// entries[c] = clamp(roundTiesToEven(f(s_in · (c − z_in)) / s_out) + z_out, 0, 255)
/// ```
///
/// This is how softplus, sigmoid and tanh (and abs, or any member) run without floating point:
/// the layer requantises its accumulator to the input code, then looks the output code up.
/// The table is exact with respect to the definition: no approximation beyond the two
/// quantisations themselves.
public struct ActivationTable: Hashable, Sendable {
    /// The function tabulated.
    public let activation: Activation
    /// The parameters of the codes looked up (the pre-activation).
    public let input: QuantizationParameters
    /// The parameters of the codes returned.
    public let output: QuantizationParameters
    /// 256 output codes, indexed by input code.
    public let entries: [UInt8]

    /// Tabulates `activation` from `input` codes to `output` codes; 256 evaluations.
    public init(_ activation: Activation, input: QuantizationParameters, output: QuantizationParameters) {
        self.activation = activation
        self.input = input
        self.output = output
        self.entries = Self.realValues(activation, input: input).map { y in
            let steps = (y / Double(output.scale)).rounded(.toNearestOrEven) + Double(output.zeroPoint)
            return UInt8(Swift.min(Swift.max(steps, 0), 255))
        }
    }

    /// Output parameters that cover f over every input code (and 0), so no entry saturates:
    /// for sigmoid on [−8, 8] that is [0, sigmoid(8)], for tanh [tanh(−8), tanh(8)].
    /// - Throws: ``QuantizationError/nonFiniteValue(what:index:value:)`` if f is not finite on
    ///   the codes (no member of the family does that on a finite range).
    public static func outputParameters(
        for activation: Activation, input: QuantizationParameters
    ) throws(QuantizationError) -> QuantizationParameters {
        let values = realValues(activation, input: input)
        return try QuantizationParameters(
            covering: Float(values.min() ?? 0)...Float(values.max() ?? 0))
    }

    /// f at the 256 real values the input codes stand for.
    private static func realValues(_ activation: Activation, input: QuantizationParameters) -> [Double] {
        (0...255).map { code in
            activation.value(Double(input.scale) * Double(Int32(code) - input.zeroPoint))
        }
    }

    /// The output code for an input code.
    @inlinable
    public subscript(code: UInt8) -> UInt8 { entries[Int(code)] }
}
