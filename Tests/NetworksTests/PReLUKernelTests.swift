import Activations
import Networks
import Runtime
import Testing

/// PReLU is leaky ReLU with a slope per unit: its forward pass (in Float 16 lanes, with
/// non-temporal stores from 16 MiB) and its input gradient equal ``LeakyReLU`` with α = α_c
/// bit for bit, per-unit and shared slopes (zero slopes among them), in place and out of
/// place, whatever the buffers' alignment and the unit count.
@Suite struct PReLUKernelTests {
    /// Leaky ReLU with unit i's slope, one element at a time.
    static func leaky<T: ActivationScalar>(_ i: Int, units: Int, slopes: [T]) -> LeakyReLU {
        try! LeakyReLU(negativeSlope: Double(slopes.count == 1 ? slopes[0] : slopes[i % units]))
    }

    static func inputs<T: ActivationScalar>(_ count: Int, using generator: inout SeededGenerator) -> [T] {
        let specials: [T] = [
            0, -0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
            .greatestFiniteMagnitude, -.greatestFiniteMagnitude, -.leastNormalMagnitude, -1,
        ]
        return (0..<count).map { i in
            i % 7 == 0 ? specials[(i / 7) % specials.count] : T(Float.random(in: -4...4, using: &generator))
        }
    }

    /// Random slopes with every fifth one 0, and −1 and 1 among them.
    static func slopes<T: ActivationScalar>(_ units: Int, using generator: inout SeededGenerator) -> [T] {
        (0..<units).map { c in
            c % 5 == 0 ? 0 : c % 5 == 1 ? (c % 2 == 0 ? 1 : -1) : T(Float.random(in: -2...2, using: &generator))
        }
    }

    static func forward(_ x: [Float], units: Int, slopes: [Float], inPlace: Bool, alignedTo64: Bool) -> [Float] {
        let count = x.count, rows = count / units
        let alignment = alignedTo64 ? 64 : MemoryLayout<Float>.alignment
        let input = UnsafeMutableRawPointer.allocate(byteCount: 4 * count + 4, alignment: alignment)
        let output = UnsafeMutableRawPointer.allocate(byteCount: 4 * count + 4, alignment: alignment)
        defer {
            input.deallocate()
            output.deallocate()
        }
        // Off by one Float when not aligned, so the streaming path needs a head.
        let offset = alignedTo64 ? 0 : 1
        let source = input.bindMemory(to: Float.self, capacity: count + 1) + offset
        let target = inPlace ? source : output.bindMemory(to: Float.self, capacity: count + 1) + offset
        source.update(from: x, count: count)
        slopes.withUnsafeBufferPointer { slopeBuffer in
            PReLU.forward(
                output: MatrixBuffer(target, rows: rows, columns: units),
                input: MatrixBuffer(source, rows: rows, columns: units),
                slopes: slopeBuffer.baseAddress!, slopeCount: slopes.count)
        }
        return Array(UnsafeBufferPointer(start: target, count: count))
    }

    @Test(arguments: [(3, 37), (5, 16), (2, 1), (7, 5), (4096, 1024), (1100, 4099)])
    func forwardEqualsLeakyReLU(rows: Int, units: Int) {
        var generator = SeededGenerator(seed: UInt64(rows * units))
        let x: [Float] = Self.inputs(rows * units, using: &generator)
        for slopes in [Self.slopes(units, using: &generator), [0.25], [0]] as [[Float]] {
            let expected = x.indices.map { Self.leaky($0, units: units, slopes: slopes).value(x[$0]).bitPattern }
            for inPlace in [false, true] {
                for aligned in [true, false] {
                    let actual = Self.forward(x, units: units, slopes: slopes, inPlace: inPlace, alignedTo64: aligned)
                    #expect(actual.map(\.bitPattern) == expected, "\(rows)×\(units) in place \(inPlace) aligned \(aligned)")
                }
            }
        }
    }

    /// The input gradient is g·leaky′(x) with α = α_c (NaN inputs give NaN, the derivative at
    /// ±0 is α_c), in Float and Double, shared and per-unit slopes.
    @Test(arguments: [(3, 37), (2, 1), (7, 5)])
    func inputGradientEqualsLeakyReLUs(rows: Int, units: Int) {
        checkGradient(rows: rows, units: units, Float.self)
        checkGradient(rows: rows, units: units, Double.self)
    }

    private func checkGradient<T: ActivationScalar>(rows: Int, units: Int, _: T.Type) {
        var generator = SeededGenerator(seed: UInt64(rows + units))
        let x: [T] = Self.inputs(rows * units, using: &generator)
        let g: [T] = (0..<x.count).map { _ in T(Float.random(in: -3...3, using: &generator)) }
        for slopes in [Self.slopes(units, using: &generator), [0.5], [0]] as [[T]] {
            var dx = [T](repeating: 0, count: x.count), dSlopes = [T](repeating: 0, count: slopes.count)
            x.withUnsafeBufferPointer { input in
                g.withUnsafeBufferPointer { gradient in
                    dx.withUnsafeMutableBufferPointer { inputGradient in
                        PReLU.backward(
                            inputGradient: MatrixBuffer(inputGradient.baseAddress!, rows: rows, columns: units),
                            slopeGradient: &dSlopes,
                            outputGradient: MatrixBuffer(UnsafeMutablePointer(mutating: gradient.baseAddress!), rows: rows, columns: units),
                            input: MatrixBuffer(UnsafeMutablePointer(mutating: input.baseAddress!), rows: rows, columns: units),
                            slopes: slopes, slopeCount: slopes.count, accumulate: false)
                    }
                }
            }
            let expected = x.indices.map { g[$0] * Self.leaky($0, units: units, slopes: slopes).derivative(x[$0]) }
            for i in x.indices {
                #expect(dx[i].isNaN ? expected[i].isNaN : dx[i] == expected[i] && dx[i].sign == expected[i].sign,
                        "\(T.self) x = \(x[i]) slope count \(slopes.count): \(dx[i]) vs \(expected[i])")
            }
            if x.contains(where: \.isNaN) { #expect(dx.contains { $0.isNaN }, "NaN inputs give NaN gradients") }
        }
    }
}
