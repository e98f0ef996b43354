import Networks
import Runtime
import Testing

/// The Float PReLU forward pass (16 lanes, non-temporal stores from 16 MiB) equals the scalar
/// formula bit for bit, per-unit and shared slopes, in place and out of place, whatever the
/// buffers' alignment and the unit count.
@Suite struct PReLUKernelTests {
    /// `x < 0 ? α_c·x : x`, one element at a time.
    static func scalar(_ x: [Float], units: Int, slopes: [Float]) -> [Float] {
        x.indices.map { i in
            let slope = slopes.count == 1 ? slopes[0] : slopes[i % units]
            return x[i] < 0 ? slope * x[i] : x[i]
        }
    }

    static func inputs(_ count: Int, using generator: inout SeededGenerator) -> [Float] {
        let specials: [Float] = [0, -0.0, .nan, .infinity, -.infinity, 1e-45, -1e-45, .greatestFiniteMagnitude, -1]
        return (0..<count).map { i in
            i % 7 == 0 ? specials[(i / 7) % specials.count] : Float.random(in: -4...4, using: &generator)
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
    func forwardEqualsTheScalarFormula(rows: Int, units: Int) {
        var generator = SeededGenerator(seed: UInt64(rows * units))
        let x = Self.inputs(rows * units, using: &generator)
        for slopes in [(0..<units).map { _ in Float.random(in: -2...2, using: &generator) }, [0.25]] {
            let expected = Self.scalar(x, units: units, slopes: slopes).map(\.bitPattern)
            for inPlace in [false, true] {
                for aligned in [true, false] {
                    let actual = Self.forward(x, units: units, slopes: slopes, inPlace: inPlace, alignedTo64: aligned)
                    #expect(actual.map(\.bitPattern) == expected, "\(rows)×\(units) in place \(inPlace) aligned \(aligned)")
                }
            }
        }
    }
}
