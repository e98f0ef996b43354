import Activations
import ArgumentParser

/// `rectifier eval ACTIVATION [--type float|double] VALUES…`: CSV of x, f(x), f′(x).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Print an activation's value and derivative at the given points as CSV.",
        discussion: """
            Prints the header x,value,derivative and one row per value, every number written \
            so that it reads back to the same bits. The values are those of the vectorised \
            kernels (forward and backward from the input). Put `--` before negative numbers: \
            rectifier eval softplus:beta=2,threshold=20 --type double -- -100 0 1e-8
            """)

    enum NumberType: String, ExpressibleByArgument, CaseIterable {
        case float, double
    }

    @Argument(help: ArgumentHelp("The activation: \(Activation.spellings).", valueName: "activation"))
    var activation: String

    @Option(help: "The number type: float (32-bit) or double (64-bit).")
    var type: NumberType = .float

    @Argument(help: "The points x to evaluate at (decimal, hex float, inf, -inf or nan).")
    var values: [String]

    func validate() throws {
        _ = try parseActivation(activation)
        if values.isEmpty { throw ValidationError("give at least one value to evaluate at") }
    }

    func run() throws {
        let function = try parseActivation(activation)
        switch type {
        case .float: print(try Self.csv(function, values, as: Float.self), terminator: "")
        case .double: print(try Self.csv(function, values, as: Double.self), terminator: "")
        }
    }

    static func csv<T: ActivationScalar & LosslessStringConvertible>(
        _ activation: Activation, _ texts: [String], as type: T.Type
    ) throws -> String {
        var points: [T] = []
        for text in texts {
            guard let x = T(text) else {
                throw ValidationError("'\(text)' is not a number")
            }
            points.append(x)
        }
        let values = activation.forward(points)
        let ones = [T](repeating: 1, count: points.count)
        let derivatives = activation.backward(input: points, gradientOutput: ones)
        var out = "x,value,derivative\n"
        for i in points.indices {
            out += "\(points[i]),\(values[i]),\(derivatives[i])\n"
        }
        return out
    }
}
