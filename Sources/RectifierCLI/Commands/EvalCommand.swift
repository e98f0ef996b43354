import Activations
import ArgumentParser

/// `rectifier eval ACTIVATION [--type float|double] (VALUES… | --input FILE)`: CSV of x, f(x), f′(x).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Print an activation's value and derivative at the given points as CSV.",
        discussion: """
            Prints the header x,value,derivative and one row per value, every number written \
            so that it reads back to the same bits. The values are those of the vectorised \
            kernels (forward and backward from the input). Put `--` before negative numbers: \
            rectifier eval softplus:beta=2,threshold=20 --type double -- -100 0 1e-8. Long \
            lists come from a file or standard input: rectifier eval relu --input values.txt \
            (or --input - ), values separated by spaces, commas or new lines; the time is \
            linear in the number of values.
            """)

    enum NumberType: String, ExpressibleByArgument, CaseIterable {
        case float, double
    }

    /// Points evaluated per kernel call and printed at once.
    static let chunk = 1 << 16

    @Argument(help: ArgumentHelp("The activation: \(Activation.spellings).", valueName: "activation"))
    var activation: String

    @Option(help: "The number type: float (32-bit) or double (64-bit).")
    var type: NumberType = .float

    @Option(help: ArgumentHelp(
        "Read the points from this file ('-': standard input) instead of the command line.", valueName: "file"))
    var input: String?

    @Argument(help: "The points x to evaluate at (decimal, hex float, inf, -inf or nan).")
    var values: [String] = []

    func validate() throws {
        _ = try parseActivation(activation)
        if let input {
            if input.isEmpty { throw ValidationError("--input needs a file name, or - for standard input") }
            if !values.isEmpty { throw ValidationError("give the values on the command line or with --input, not both") }
        } else if values.isEmpty {
            throw ValidationError("give at least one value to evaluate at (or --input FILE)")
        }
    }

    func run() throws {
        let function = try parseActivation(activation)
        switch type {
        case .float: try evaluate(function, as: Float.self)
        case .double: try evaluate(function, as: Double.self)
        }
    }

    /// Prints the CSV: the command line's values all checked first; a file's read in one
    /// pass, each chunk printed as it fills (a value that is not a number stops the run,
    /// naming its line, after the rows before it).
    private func evaluate<T: ActivationScalar & LosslessStringConvertible>(
        _ function: Activation, as type: T.Type
    ) throws {
        var points: [T] = []
        guard let input else {
            points = try values.map { text in
                guard let x = T(text) else { throw ValidationError("'\(text)' is not a number") }
                return x
            }
            print("x,value,derivative")
            for start in stride(from: 0, to: points.count, by: Self.chunk) {
                print(Self.rows(function, points[start..<Swift.min(start + Self.chunk, points.count)]), terminator: "")
            }
            return
        }
        let reader = NumberListReader(path: input, flag: "--input")
        var printedHeader = false
        func flush() {
            if !printedHeader { print("x,value,derivative") }
            printedHeader = true
            print(Self.rows(function, points[...]), terminator: "")
            points.removeAll(keepingCapacity: true)
        }
        try reader.forEachValue { text, line in
            guard let x = T(text) else { throw reader.failure("line \(line): '\(text)' is not a number") }
            points.append(x)
            if points.count == Self.chunk { flush() }
        }
        guard printedHeader || !points.isEmpty else { throw reader.failure("holds no values") }
        if !points.isEmpty { flush() }
    }

    /// One CSV row `x,f(x),f′(x)` per point.
    static func rows<T: ActivationScalar & LosslessStringConvertible>(_ activation: Activation, _ points: ArraySlice<T>) -> String {
        let inputs = Array(points)
        let values = activation.forward(inputs)
        let derivatives = activation.backward(input: inputs, gradientOutput: [T](repeating: 1, count: inputs.count))
        var out = ""
        for i in inputs.indices {
            out += "\(inputs[i]),\(values[i]),\(derivatives[i])\n"
        }
        return out
    }
}
