import Activations
import Foundation
import Networks
import Quantization
import Runtime
import Testing

@Suite struct ActivationTableTests {
    /// Independent Float80 formulas (not the library's branches) for the transcendental members.
    static func independent(_ activation: Activation, _ x: Float80) -> Float80 {
        switch activation {
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        case .tanh: return x > 0 ? 1 - 2 / (Foundation.exp(2 * x) + 1) : 2 / (Foundation.exp(-2 * x) + 1) - 1
        case .softplus: return x > 30 ? x + Foundation.exp(-x) : Foundation.log(1 + Foundation.exp(x))
        case .abs: return x.magnitude
        case .silu: return x / (1 + Foundation.exp(-x))
        case .mish: return x * Foundation.tanh(Foundation.log(1 + Foundation.exp(x)))
        case .elu: return x > 0 ? x : Foundation.exp(x) - 1
        case .selu: return 1.0507009873554804934 * (x > 0 ? x : 1.6732632423543772848 * (Foundation.exp(x) - 1))
        case .gelu: return x * Foundation.erfc(-x / Foundation.sqrt(2)) / 2
        default: fatalError("not tabulated in this test")
        }
    }

    @Test(arguments: [Activation.sigmoid, .tanh, .softplus, .abs, .gelu, .silu, .elu, .selu, .mish])
    func entriesAreTheRoundedDefinition(_ activation: Activation) throws {
        var generator = SeededGenerator(seed: 8)
        for _ in 0..<40 {
            let low = Float.random(in: -12 ... -0.5, using: &generator)
            let high = Float.random(in: 0.5...12, using: &generator)
            let input = try QuantizationParameters(covering: low...high)
            let output = try ActivationTable.outputParameters(for: activation, input: input)
            let table = ActivationTable(activation, input: input, output: output)
            #expect(table.entries.count == 256)
            for code in 0...255 {
                let x = Float80(input.scale) * Float80(code - Int(input.zeroPoint))
                let steps = Self.independent(activation, x) / Float80(output.scale)
                let fraction = steps - steps.rounded(.down)
                if (fraction - 0.5).magnitude < 1e-9 { continue }  // a near-tie: either side is fine
                let expected = Swift.min(Swift.max(steps.rounded() + Float80(output.zeroPoint), 0), 255)
                #expect(Float80(table[UInt8(code)]) == expected, "\(activation) code \(code)")
            }
        }
    }

    @Test func outputParametersCoverEveryEntryWithoutSaturating() throws {
        let input = try QuantizationParameters(covering: -6...6)
        for activation in [Activation.sigmoid, .tanh, .softplus] {
            let output = try ActivationTable.outputParameters(for: activation, input: input)
            let covered = output.representableRange
            for code in 0...255 {
                let y = activation.value(Double(input.scale) * Double(code - Int(input.zeroPoint)))
                #expect(Double(covered.lowerBound) - Double(output.scale) / 2 <= y)
                #expect(y <= Double(covered.upperBound) + Double(output.scale) / 2)
            }
            let table = ActivationTable(activation, input: input, output: output)
            #expect(table.entries.max() == 255)
            // Monotone members give monotone tables.
            #expect(zip(table.entries, table.entries.dropFirst()).allSatisfy { $0 <= $1 })
        }
    }

    @Test func piecewiseLinearMembersAreFusedNotTabulated() throws {
        let parameters = try QuantizationParameters(covering: -1...1)
        #expect(QuantizedActivation(.relu, preActivation: parameters, output: parameters) == .relu)
        #expect(QuantizedActivation(.identity, preActivation: parameters, output: parameters) == .identity)
        let leaky = try Activation.leakyReLU(negativeSlope: 0.2)
        #expect(QuantizedActivation(leaky, preActivation: parameters, output: parameters)
            == .leakyReLU(negativeSlope: 0.2))
        let sigmoid = QuantizedActivation(.sigmoid, preActivation: parameters, output: parameters)
        #expect(sigmoid == .table(ActivationTable(.sigmoid, input: parameters, output: parameters)))
    }
}
