import Activations
import Testing

/// The transcendental members against the mpmath tables: the scalar definitions, and the
/// kernels (forward, and backward from the input with gradient 1), in Float and Double.
///
/// Bounds, in ulp from the correctly rounded result:
///
/// | | scalar definitions | Float kernels | Double kernels |
/// |---|---|---|---|
/// | softplus, softplus′ | 1, 1 | 1, 2 | 2, 2 |
/// | sigmoid, sigmoid′ | 1, 1 | 2, 2 | 2, 2 |
/// | tanh, tanh′ | 1, 1 | 1, 2 | 2, 2 |
///
/// The smooth descendants: scalar definitions and Double kernels (which evaluate the
/// definition) 1 ulp for value and derivative; Float kernels:
///
/// | | value | derivative |
/// |---|---|---|
/// | gelu | 3 | 1 |
/// | gelu:tanh | 3 | 1 |
/// | silu | 2 | 4 |
/// | elu (α = 1, ½) | 1 | 1 |
/// | selu | 2 | 2 |
/// | mish | 1 | 1 |
///
/// The kernels may flush results below the smallest normal number to zero; the scalar
/// definitions may not. gelu′, silu′ and mish′ have a zero at a negative x where their two
/// terms cancel; around it (`cancelling`) a derivative whose error is within
/// ``absoluteTolerance(_:kernel:)`` counts as exact (ulps of a result near 0 say nothing about the cancellation).
@Suite struct ReferenceAccuracyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let table: String
        /// Within ±½ of the zero of f′ (where |f′| < 0.2), its error is also accepted in absolute terms.
        var cancelling: ClosedRange<Double>? = nil
        let activation: Activation
        let floatKernelBound: (value: Int, derivative: Int)
        let doubleKernelBound: (value: Int, derivative: Int)
        var testDescription: String { table }
    }

    static let cases: [Case] = [
        Case(table: "softplus", activation: .softplus(Softplus()),
             floatKernelBound: (1, 2), doubleKernelBound: (2, 2)),
        Case(table: "softplus-beta2", activation: try! .softplus(beta: 2),
             floatKernelBound: (1, 2), doubleKernelBound: (2, 2)),
        Case(table: "sigmoid", activation: .sigmoid,
             floatKernelBound: (2, 2), doubleKernelBound: (2, 2)),
        Case(table: "tanh", activation: .tanh,
             floatKernelBound: (1, 2), doubleKernelBound: (2, 2)),
        Case(table: "gelu", cancelling: -1.25 ... -0.25, activation: .gelu,
             floatKernelBound: (3, 1), doubleKernelBound: (1, 1)),
        Case(table: "gelu-tanh", cancelling: -1.25 ... -0.25, activation: .gelu(GELU(approximation: .tanh)),
             floatKernelBound: (3, 1), doubleKernelBound: (1, 1)),
        Case(table: "silu", cancelling: -1.8 ... -0.8, activation: .silu,
             floatKernelBound: (2, 4), doubleKernelBound: (1, 1)),
        Case(table: "elu", activation: .elu,
             floatKernelBound: (1, 1), doubleKernelBound: (1, 1)),
        Case(table: "elu-alpha0.5", activation: try! .elu(alpha: 0.5),
             floatKernelBound: (1, 1), doubleKernelBound: (1, 1)),
        Case(table: "selu", activation: .selu,
             floatKernelBound: (2, 2), doubleKernelBound: (1, 1)),
        Case(table: "mish", cancelling: -1.7 ... -0.7, activation: .mish,
             floatKernelBound: (1, 1), doubleKernelBound: (1, 1)),
    ]

    /// The absolute error below which a derivative counts as exact: 2^-24 for the Float
    /// kernels (where cancellation at a zero of f′ makes ulps meaningless), 2^-53 for the
    /// Double kernels, and 2^-31 / 2^-60 for the scalar definitions, which are evaluated in
    /// a wider type.
    static func absoluteTolerance<T: ActivationScalar>(_ type: T.Type, kernel: Bool) -> T {
        kernel ? T.ulpOfOne / 2 : T.ulpOfOne / 256
    }

    @Test(arguments: cases)
    func floatScalarDefinitionsAreWithinOneULP(_ c: Case) throws {
        try checkScalarDefinitions(c, Float.self)
    }

    @Test(arguments: cases)
    func doubleScalarDefinitionsAreWithinOneULP(_ c: Case) throws {
        try checkScalarDefinitions(c, Double.self)
    }

    @Test(arguments: cases)
    func floatKernelsAreWithinTheirBounds(_ c: Case) throws {
        try checkKernels(c, Float.self, bound: c.floatKernelBound)
    }

    @Test(arguments: cases)
    func doubleKernelsAreWithinTheirBounds(_ c: Case) throws {
        try checkKernels(c, Double.self, bound: c.doubleKernelBound)
    }

    private func checkScalarDefinitions<T: ActivationScalar & ReferenceBits>(
        _ c: Case, _ type: T.Type
    ) throws {
        let table = try ReferenceTable<T>(c.table)
        let x = table.inputs
        let value = ULP.worst(x.map { c.activation.value($0) }, table.column(0), inputs: x)
        let derivative = ULP.worst(
            x.map { c.activation.derivative($0) }, table.column(1), inputs: x,
            absoluteTolerance: Self.absoluteTolerance(T.self, kernel: false), cancelling: c.cancelling)
        print("measured: \(c.table) \(T.self) definition: value \(value.ulp) ulp, derivative \(derivative.ulp) ulp")
        #expect(value.ulp <= 1, "\(c.table) \(T.self) value: \(value.ulp) ulp at x = \(value.at)")
        #expect(derivative.ulp <= 1, "\(c.table) \(T.self) derivative: \(derivative.ulp) ulp at x = \(derivative.at)")
    }

    private func checkKernels<T: ActivationScalar & ReferenceBits>(
        _ c: Case, _ type: T.Type, bound: (value: Int, derivative: Int)
    ) throws {
        let table = try ReferenceTable<T>(c.table)
        let x = table.inputs
        let values = c.activation.forward(x)
        let derivatives = c.activation.backward(
            input: x, gradientOutput: [T](repeating: 1, count: x.count))
        let value = ULP.worst(values, table.column(0), inputs: x, allowingFlush: true)
        let derivative = ULP.worst(
            derivatives, table.column(1), inputs: x, allowingFlush: true,
            absoluteTolerance: Self.absoluteTolerance(T.self, kernel: true), cancelling: c.cancelling)
        print("measured: \(c.table) \(T.self) kernel: value \(value.ulp) ulp, derivative \(derivative.ulp) ulp")
        #expect(value.ulp <= bound.value, "\(c.table) \(T.self) kernel value: \(value.ulp) ulp at x = \(value.at)")
        #expect(derivative.ulp <= bound.derivative, "\(c.table) \(T.self) kernel derivative: \(derivative.ulp) ulp at x = \(derivative.at)")
    }

    @Test func piecewiseLinearKernelsAndDefinitionsMatchTheTableBitForBit() throws {
        try checkPiecewiseLinear(Float.self)
        try checkPiecewiseLinear(Double.self)
    }

    private func checkPiecewiseLinear<T: ActivationScalar & ReferenceBits>(_ type: T.Type) throws {
        let table = try ReferenceTable<T>("piecewise-linear")
        let x = table.inputs
        let members: [Activation] = [
            .relu, try .leakyReLU(negativeSlope: 0.01), try .leakyReLU(negativeSlope: -0.5), .abs,
        ]
        for (column, f) in members.enumerated() {
            let expected = table.column(column)
            for (name, results) in [("kernel", f.forward(x)), ("definition", x.map { f.value($0) })] {
                for i in x.indices where !(results[i].isNaN && expected[i].isNaN) {
                    #expect(results[i].bitPattern == expected[i].bitPattern,
                            "\(f) \(T.self) \(name) at x = \(x[i]): \(results[i]) ≠ \(expected[i])")
                }
            }
        }
    }
}
