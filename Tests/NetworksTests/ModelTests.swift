import Activations
import Networks
import Testing

@Suite struct ModelTests {
    static func model() throws -> Sequential<Double> {
        var generator = SeededGenerator(seed: 21)
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: 6, hiddenSizes: [8, 5], hiddenActivation: try HiddenActivation(parsing: "prelu"), outputSize: 3)
        let model = Sequential<Double>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        let slopes = try model.parameters.layout.parameter(named: "layers.1.slopes")
        generator.fillUniform(model.parameters.values(of: slopes), lower: -0.2, upper: 0.7)
        return model
    }

    @Test func floatDoubleConversion() throws {
        let double = try Self.model()
        let single = Sequential<Float>(converting: double)
        #expect(single.architecture == double.architecture)
        #expect(single.parameters.snapshot() == double.parameters.snapshot().map { Float($0) })
        let back = Sequential<Double>(converting: single)
        #expect(Sequential<Float>(converting: back).parameters.snapshot() == single.parameters.snapshot())
        var generator = SeededGenerator(seed: 22)
        let input = GradientCheck.randomMatrix(rows: 10, columns: 6, in: -1...1, &generator)
        let reference = try double.predict(input)
        let converted = try single.predict(Matrix<Float>(converting: input))
        for (a, b) in zip(reference.scalars, converted.scalars) {
            #expect(abs(a - Double(b)) <= 1e-5 * max(1, abs(a)))
        }
    }

    @Test func copyIsIndependent() throws {
        let model = try Self.model()
        let copy = model.copy()
        #expect(copy.parameters.snapshot() == model.parameters.snapshot())
        copy.parameters.values[0] += 1
        #expect(copy.parameters.snapshot() != model.parameters.snapshot())
    }

    @Test func predictionsAgreeAcrossChunksAndLayerOutputs() throws {
        let model = try Self.model()
        var generator = SeededGenerator(seed: 23)
        let input = GradientCheck.randomMatrix(rows: 2500, columns: 6, in: -1...1, &generator)
        // BLAS may round differently for different batch sizes: compare to a few ulps.
        func expectClose(_ a: Matrix<Double>, _ b: Matrix<Double>) {
            #expect(a.rows == b.rows && a.columns == b.columns)
            for (x, y) in zip(a.scalars, b.scalars) { #expect(abs(x - y) <= 1e-14 * max(1, abs(x))) }
        }
        let all = try model.predict(input)
        expectClose(all.rows(1500..<1510), try model.predict(input.rows(1500..<1510)))
        let layers = try model.layerOutputs(input.rows(0..<7))
        #expect(layers.count == 5)
        expectClose(layers.last!, all.rows(0..<7))
        #expect(layers[1].scalars == zip(layers[0].scalars, (0..<56).map { $0 % 8 }).map { x, unit in
            x < 0 ? (try! model.parameters.tensor(named: "layers.1.slopes"))[unit] * x : x
        })
        let classes = try model.predictClasses(input.rows(0..<7))
        for row in 0..<7 {
            let outputs = Array(all.row(row))
            #expect(classes[row] == outputs.firstIndex(of: outputs.max()!)!)
        }
    }

    @Test func shapeErrorsAreTyped() throws {
        let model = try Self.model()
        #expect(throws: NetworkError.self) { try model.predict(Matrix(rows: 2, columns: 5)) }
        #expect(throws: NetworkError.self) { try model.backward(outputGradient: Matrix(rows: 2, columns: 3)) }
        _ = try model.forward(Matrix(rows: 2, columns: 6))
        #expect(throws: NetworkError.self) { try model.backward(outputGradient: Matrix(rows: 3, columns: 3)) }
        #expect(throws: NetworkError.self) { try Matrix<Float>(rows: 2, columns: 2, scalars: [1, 2, 3]) }
        #expect(throws: NetworkError.self) { try Matrix<Float>([[1, 2], [3]]) }
        #expect(throws: NetworkError.self) { try model.parameters.setTensor(named: "layers.0.bias", to: [1]) }
        #expect(throws: NetworkError.self) { try model.parameters.tensor(named: "layers.9.weight") }
    }
}

@Suite struct BLASTests {
    /// C = α·op(A)·op(B) + β·C by the definition, in Double.
    static func reference(
        _ a: Matrix<Double>, _ transposeA: Bool, _ b: Matrix<Double>, _ transposeB: Bool,
        _ c: Matrix<Double>, alpha: Double, beta: Double
    ) -> Matrix<Double> {
        var result = c
        for i in 0..<c.rows {
            for j in 0..<c.columns {
                var sum = 0.0
                let k = transposeA ? a.rows : a.columns
                for l in 0..<k { sum += (transposeA ? a[l, i] : a[i, l]) * (transposeB ? b[j, l] : b[l, j]) }
                result[i, j] = alpha * sum + beta * c[i, j]
            }
        }
        return result
    }

    // 200×150×100 is above the threshold at which the product is split across threads.
    @Test(arguments: [false, true], [(7, 5, 3), (200, 150, 100), (33, 1, 70)])
    func gemmMatchesTheDefinition(transpose: Bool, shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var generator = SeededGenerator(seed: UInt64(m))
        for transposeB in [false, true] {
            let a = GradientCheck.randomMatrix(rows: transpose ? k : m, columns: transpose ? m : k, in: -1...1, &generator)
            let b = GradientCheck.randomMatrix(rows: transposeB ? n : k, columns: transposeB ? k : n, in: -1...1, &generator)
            var c = GradientCheck.randomMatrix(rows: m, columns: n, in: -1...1, &generator)
            let expected = Self.reference(a, transpose, b, transposeB, c, alpha: 0.5, beta: 2)
            var single = Matrix<Float>(converting: c)
            var (a1, b1, a2, b2) = (a, b, Matrix<Float>(converting: a), Matrix<Float>(converting: b))
            Self.multiply(&a1, transpose, &b1, transposeB, &c)
            Self.multiply(&a2, transpose, &b2, transposeB, &single)
            for (x, y) in zip(c.scalars, expected.scalars) { #expect(abs(x - y) <= 1e-12) }
            for (x, y) in zip(single.scalars, expected.scalars) { #expect(abs(Double(x) - y) <= 1e-4) }
        }
    }

    static func multiply<T: ActivationScalar>(
        _ a: inout Matrix<T>, _ transposeA: Bool, _ b: inout Matrix<T>, _ transposeB: Bool, _ c: inout Matrix<T>
    ) {
        let (ar, ac, br, bc, cr, cc) = (a.rows, a.columns, b.rows, b.columns, c.rows, c.columns)
        a.withUnsafeMutableBufferPointer { pa in
            b.withUnsafeMutableBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.gemm(
                        MatrixBuffer(pa.baseAddress!, rows: ar, columns: ac), MatrixBuffer(pb.baseAddress!, rows: br, columns: bc),
                        into: MatrixBuffer(pc.baseAddress!, rows: cr, columns: cc),
                        transposeA: transposeA, transposeB: transposeB, alpha: 0.5, beta: 2)
                }
            }
        }
    }
}
