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
/// | tanh, tanh′ | 1, 1 | 2, 2 | 2, 2 |
///
/// The kernels may flush results below the smallest normal number to zero; the scalar
/// definitions may not.
@Suite struct ReferenceAccuracyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let table: String
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
             floatKernelBound: (2, 2), doubleKernelBound: (2, 2)),
    ]

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
        let derivative = ULP.worst(x.map { c.activation.derivative($0) }, table.column(1), inputs: x)
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
        let derivative = ULP.worst(derivatives, table.column(1), inputs: x, allowingFlush: true)
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
