import Activations
import Networks
import Runtime

#if canImport(Glibc)
import Glibc
#endif

/// Times the activation kernels against a plain copy of the same size: forward (x → y) and
/// backward (saved, gradient → gradient), Float32, into caller-provided buffers.
///
/// Each measurement is the median of `runs` timed calls after one untimed warm-up call. The
/// copy is the faster of `memcpy` and the library's own copy loop (``Activation/identity``,
/// which streams like the kernels), measured in the same run at the same size and thread
/// count.
package struct ActivationBenchmark: Sendable {
    /// One measured row: exactly the keys the JSON report promises, plus how copy was done.
    package struct Measurement: Codable, Equatable, Sendable {
        package var op: String
        /// `forward` or `backward`.
        package var direction: String
        package var elements: Int
        package var threads: Int
        /// Median nanoseconds per element.
        package var nsPerElement: Double
        /// Bytes read and written per second, in 10⁹ (8 per element forward, 12 backward).
        package var gbPerSecond: Double
        /// ``gbPerSecond`` over the plain copy's.
        package var ratioToCopy: Double
        /// How the copy was made (`memcpy` or `loop`), on the copy row.
        package var copyMethod: String?
    }

    /// The members measured, by the names the report uses.
    package static let operations: [(name: String, activation: Activation)] = [
        ("relu", .relu), ("leaky_relu", .leakyReLU(LeakyReLU())), ("abs", .abs),
        ("softplus", .softplus(Softplus())), ("sigmoid", .sigmoid), ("tanh", .tanh),
        ("gelu", .gelu), ("gelu_tanh", .gelu(GELU(approximation: .tanh))), ("silu", .silu),
        ("elu", .elu), ("selu", .selu), ("mish", .mish),
    ]

    /// Every name `--ops` accepts: the members above and `prelu`, the Networks PReLU kernel
    /// with ``preluSlopeCount`` learned slopes (the buffer seen as rows of that many units).
    package static let operationNames = operations.map(\.name) + ["prelu"]

    /// PReLU's slopes per row: one per unit of a 1024-wide layer.
    package static let preluSlopeCount = 1024

    /// Timed calls per measurement.
    package let runs: Int

    /// A benchmark taking the median of `runs` timed calls (small sizes get more calls).
    package init(runs: Int) {
        self.runs = runs
    }

    /// Measures every operation at `elements` on `threads` threads.
    /// Complexity: O(runs · elements) per operation.
    package func measure(elements: Int, threads: Int, operations: [String]) -> [Measurement] {
        Execution.current.with(threads: threads).run { measureOnCurrentThreads(elements: elements, operations: operations) }
    }

    private func measureOnCurrentThreads(elements: Int, operations: [String]) -> [Measurement] {
        let threads = Execution.current.threads
        let buffers = Buffers(count: elements)
        defer { buffers.deallocate() }
        let copy = measureCopy(buffers)
        let row = { (op: String, direction: String, seconds: Double, bytes: Int) in
            Self.row(op, direction, seconds, elements: elements, threads: threads, bytesPerElement: bytes, copy: copy.seconds)
        }
        var rows = [row("copy", "forward", copy.seconds, 8)]
        rows[0].copyMethod = copy.method
        for (name, f) in Self.operations where operations.contains(name) {
            let forward = median(elements: elements) { f.forward(UnsafeBufferPointer(buffers.x), into: buffers.y) }
            rows.append(row(name, "forward", forward, 8))
            f.forward(UnsafeBufferPointer(buffers.x), into: buffers.saved)
            let saved = f.savedForBackward == .input ? buffers.x : buffers.saved
            let backward = median(elements: elements) {
                f.backward(
                    saved: UnsafeBufferPointer(saved), gradientOutput: UnsafeBufferPointer(buffers.g),
                    into: buffers.y)
            }
            rows.append(row(name, "backward", backward, 12))
        }
        if operations.contains("prelu"), elements % Self.preluSlopeCount == 0 {
            let (forward, backward) = measurePReLU(buffers)
            rows.append(row("prelu", "forward", forward, 8))
            rows.append(row("prelu", "backward", backward, 12))
        }
        return rows
    }

    /// PReLU forward (x → y) and backward (x, g → dx and the slope gradient) over the buffer
    /// as `elements / 1024` rows of 1024 units, rows split across the threads like the
    /// kernels' chunks; each chunk sums its own slope gradient (1024 floats, not combined:
    /// the reduction is 1024 adds per chunk, negligible against the pass).
    private func measurePReLU(_ buffers: Buffers) -> (forward: Double, backward: Double) {
        let units = Self.preluSlopeCount, rowCount = buffers.count / units
        let slopes = UnsafeMutableBufferPointer<Float>.allocate(capacity: units)
        let slopeGradients = UnsafeMutableBufferPointer<Float>.allocate(capacity: units * Execution.current.threads)
        defer { slopes.deallocate(); slopeGradients.deallocate() }
        for unit in 0..<units { slopes[unit] = 0.01 + 0.24 * Float(unit) / Float(units) }
        let minimumRows = max(1, (1 << 18) / units)
        func matrix(_ buffer: UnsafeMutableBufferPointer<Float>, _ rows: Range<Int>) -> MatrixBuffer<Float> {
            MatrixBuffer(buffer.baseAddress! + rows.lowerBound * units, rows: rows.count, columns: units)
        }
        let forward = median(elements: buffers.count) {
            Execution.current.forEachChunk(count: rowCount, minimumChunk: minimumRows, alignment: 1) { rows in
                PReLU.forward(
                    output: matrix(buffers.y, rows), input: matrix(buffers.x, rows),
                    slopes: slopes.baseAddress!, slopeCount: units)
            }
        }
        let backward = median(elements: buffers.count) {
            Execution.current.forEachIndexedChunk(count: rowCount, minimumChunk: minimumRows, alignment: 1) { chunk, rows in
                PReLU.backward(
                    inputGradient: matrix(buffers.y, rows),
                    slopeGradient: slopeGradients.baseAddress! + chunk * units,
                    outputGradient: matrix(buffers.g, rows), input: matrix(buffers.x, rows),
                    slopes: slopes.baseAddress!, slopeCount: units, accumulate: false)
            }
        }
        return (forward, backward)
    }

    private static func row(
        _ op: String, _ direction: String, _ seconds: Double, elements: Int, threads: Int,
        bytesPerElement: Int, copy copySeconds: Double
    ) -> Measurement {
        let n = Double(elements)
        let gbPerSecond = Double(bytesPerElement) * n / seconds / 1e9
        let copyGBPerSecond = 8 * n / copySeconds / 1e9
        return Measurement(
            op: op, direction: direction, elements: elements, threads: threads,
            nsPerElement: seconds / n * 1e9, gbPerSecond: gbPerSecond,
            ratioToCopy: gbPerSecond / copyGBPerSecond, copyMethod: nil)
    }

    /// The faster of memcpy (split across the threads like the kernels) and the copy loop.
    private func measureCopy(_ buffers: Buffers) -> (seconds: Double, method: String) {
        let source = UnsafeRawPointer(buffers.x.baseAddress!)
        let target = UnsafeMutableRawPointer(buffers.y.baseAddress!)
        let count = buffers.count
        let viaMemcpy = median(elements: count) {
            Execution.current.forEachChunk(count: count, minimumChunk: 1 << 18) { range in
                memcpy(target + range.lowerBound * 4, source + range.lowerBound * 4, range.count * 4)
            }
        }
        let viaLoop = median(elements: count) {
            Activation.identity.forward(UnsafeBufferPointer(buffers.x), into: buffers.y)
        }
        return viaMemcpy <= viaLoop ? (viaMemcpy, "memcpy") : (viaLoop, "loop")
    }

    /// The median time of `runs` calls after one warm-up call; small sizes, where a call takes
    /// microseconds, get up to 64 times as many calls (at most 2000).
    private func median(elements: Int, _ body: () -> Void) -> Double {
        let calls = max(runs, min(2000, runs * max(1, (1 << 22) / max(elements, 1))))
        return Timing.measure(calls: calls, body).median
    }

    /// Input x in [−8, 8] (seeded), gradient g, and outputs, all touched before timing so no
    /// page faults are counted.
    final class Buffers {
        let count: Int
        let x: UnsafeMutableBufferPointer<Float>
        let g: UnsafeMutableBufferPointer<Float>
        let y: UnsafeMutableBufferPointer<Float>
        let saved: UnsafeMutableBufferPointer<Float>

        init(count: Int) {
            self.count = count
            x = .allocate(capacity: count)
            g = .allocate(capacity: count)
            y = .allocate(capacity: count)
            saved = .allocate(capacity: count)
            var state: UInt64 = 0x5EED
            for i in 0..<count {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                x[i] = Float(Int32(truncatingIfNeeded: state >> 32)) / Float(Int32.max) * 8
                g[i] = 1 - x[i] / 16
            }
            y.initialize(repeating: 0)
            saved.initialize(repeating: 0)
        }

        func deallocate() {
            for buffer in [x, g, y, saved] { buffer.deallocate() }
        }
    }
}
