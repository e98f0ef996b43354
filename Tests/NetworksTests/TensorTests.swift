import Activations
import Networks
import Runtime
import Testing

@Suite struct FiniteCheckTests {
    @Test(arguments: [0, 5, 7, 8, 15, 16, 30, 36])
    func findsTheFirstNonFiniteValue(index: Int) {
        for bad in [Float.nan, .infinity, -.infinity] {
            var values = [Float](repeating: 1, count: 37)
            values[index] = bad
            values[36] = .nan
            #expect(values.withUnsafeBufferPointer { $0.firstNonFiniteIndex() } == index)
        }
    }

    @Test func finiteValuesHaveNone() {
        let values: [Double] = [0, -0.0, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude] + Array(repeating: 1, count: 20)
        #expect(values.withUnsafeBufferPointer { $0.firstNonFiniteIndex() } == nil)
        #expect([Double]().withUnsafeBufferPointer { $0.firstNonFiniteIndex() } == nil)
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

    // 200×150×100 is above the threshold at which the product is split across threads;
    // one row (m = 1) goes through the matrix-vector routine.
    @Test(arguments: [false, true], [(7, 5, 3), (200, 150, 100), (33, 1, 70), (1, 9, 13), (1, 1, 5), (1, 300, 784)])
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

    /// With β = 0 the output is written, never read: a NaN left in a reused buffer is gone.
    @Test(arguments: [1, 4])
    func betaZeroIgnoresWhatTheOutputHeld(rows: Int) {
        var generator = SeededGenerator(seed: 7)
        var a = GradientCheck.randomMatrix(rows: rows, columns: 6, in: -1...1, &generator)
        var b = GradientCheck.randomMatrix(rows: 6, columns: 3, in: -1...1, &generator)
        var c = Matrix<Double>(rows: rows, columns: 3)
        c.withUnsafeMutableBufferPointer { $0.update(repeating: .nan) }
        let expected = Self.reference(a, false, b, false, Matrix<Double>(rows: rows, columns: 3), alpha: 1, beta: 0)
        a.withUnsafeMutableBufferPointer { pa in
            b.withUnsafeMutableBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.gemm(
                        MatrixBuffer(pa.baseAddress!, rows: rows, columns: 6), MatrixBuffer(pb.baseAddress!, rows: 6, columns: 3),
                        into: MatrixBuffer(pc.baseAddress!, rows: rows, columns: 3))
                }
            }
        }
        for (x, y) in zip(c.scalars, expected.scalars) { #expect(abs(x - y) <= 1e-12) }
    }

    @Test func concurrentCallersGetTheSameResults() async throws {
        // Products large enough to be split, from many threads at once: whichever caller
        // gets the worker threads, the others run serially, and every result is the same.
        var generator = SeededGenerator(seed: 77)
        let a = GradientCheck.randomMatrix(rows: 256, columns: 96, in: -1...1, &generator)
        let b = GradientCheck.randomMatrix(rows: 96, columns: 80, in: -1...1, &generator)
        let zero = Matrix<Double>(rows: 256, columns: 80)
        func product() -> Matrix<Double> {
            var (left, right, result) = (a, b, zero)
            for _ in 0..<20 { Self.multiply(&left, false, &right, false, &result) }
            return result
        }
        let expected = product()
        let results = await withTaskGroup(of: Matrix<Double>.self) { group in
            for _ in 0..<8 { group.addTask { product() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == expected })
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
