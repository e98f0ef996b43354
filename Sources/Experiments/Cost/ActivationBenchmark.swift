import Activations
import Datasets
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
/// count; each kernel's calls alternate with calls of that copy, and its ratio to the copy
/// is taken against the copy's median of those calls.
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
        let row = { (op: String, direction: String, seconds: Double, bytes: Int, copySeconds: Double) in
            Self.row(op, direction, seconds, elements: elements, threads: threads, bytesPerElement: bytes, copy: copySeconds)
        }
        var rows = [row("copy", "forward", copy.seconds, 8, copy.seconds)]
        rows[0].copyMethod = copy.method
        for (name, f) in Self.operations where operations.contains(name) {
            let forward = alternatingMedians(elements: elements, copy.body) {
                f.forward(UnsafeBufferPointer(buffers.x), into: buffers.y)
            }
            rows.append(row(name, "forward", forward.second, 8, forward.first))
            f.forward(UnsafeBufferPointer(buffers.x), into: buffers.saved)
            let saved = f.savedForBackward == .input ? buffers.x : buffers.saved
            let backward = alternatingMedians(elements: elements, copy.body) {
                f.backward(
                    saved: UnsafeBufferPointer(saved), gradientOutput: UnsafeBufferPointer(buffers.g),
                    into: buffers.y)
            }
            rows.append(row(name, "backward", backward.second, 12, backward.first))
        }
        if operations.contains("prelu"), elements % Self.preluSlopeCount == 0 {
            let (forward, backward) = measurePReLU(buffers, copy: copy.body)
            rows.append(row("prelu", "forward", forward.second, 8, forward.first))
            rows.append(row("prelu", "backward", backward.second, 12, backward.first))
        }
        return rows
    }

    /// PReLU forward (x → y) and backward (x, g → dx and the slope gradient) over the buffer
    /// as `elements / 1024` rows of 1024 units, rows split across the threads like the
    /// kernels' chunks; each chunk sums its own slope gradient (1024 floats, not combined:
    /// the reduction is 1024 adds per chunk, negligible against the pass).
    /// Each pass is timed in alternation with `copy`; the pairs are (copy, PReLU) medians.
    private func measurePReLU(
        _ buffers: Buffers, copy: () -> Void
    ) -> (forward: (first: Double, second: Double), backward: (first: Double, second: Double)) {
        let units = Self.preluSlopeCount, rowCount = buffers.count / units
        let slopes = UnsafeMutableBufferPointer<Float>.allocate(capacity: units)
        let slopeGradients = UnsafeMutableBufferPointer<Float>.allocate(capacity: units * Execution.current.threads)
        defer { slopes.deallocate(); slopeGradients.deallocate() }
        for unit in 0..<units { slopes[unit] = 0.01 + 0.24 * Float(unit) / Float(units) }
        let minimumRows = max(1, (1 << 18) / units)
        func matrix(_ buffer: UnsafeMutableBufferPointer<Float>, _ rows: Range<Int>) -> MatrixBuffer<Float> {
            MatrixBuffer(buffer.baseAddress! + rows.lowerBound * units, rows: rows.count, columns: units)
        }
        let forward = alternatingMedians(elements: buffers.count, copy) {
            Execution.current.forEachChunk(count: rowCount, minimumChunk: minimumRows, alignment: 1) { rows in
                PReLU.forward(
                    output: matrix(buffers.y, rows), input: matrix(buffers.x, rows),
                    slopes: slopes.baseAddress!, slopeCount: units)
            }
        }
        let backward = alternatingMedians(elements: buffers.count, copy) {
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

    /// The faster of memcpy (split across the threads like the kernels) and the copy loop,
    /// timed in alternation, and a call of it.
    private func measureCopy(_ buffers: Buffers) -> (seconds: Double, method: String, body: () -> Void) {
        let source = UnsafeRawPointer(buffers.x.baseAddress!)
        let target = UnsafeMutableRawPointer(buffers.y.baseAddress!)
        let count = buffers.count
        let viaMemcpy = {
            Execution.current.forEachChunk(count: count, minimumChunk: 1 << 18) { range in
                memcpy(target + range.lowerBound * 4, source + range.lowerBound * 4, range.count * 4)
            }
        }
        let viaLoop = { Activation.identity.forward(UnsafeBufferPointer(buffers.x), into: buffers.y) }
        let (memcpySeconds, loopSeconds) = alternatingMedians(elements: count, viaMemcpy, viaLoop)
        return memcpySeconds <= loopSeconds ? (memcpySeconds, "memcpy", viaMemcpy) : (loopSeconds, "loop", viaLoop)
    }

    /// The median times of `first` and `second` timed in alternation (``Timing/alternating``):
    /// `runs` turns; out of cache a turn times one call of each, small sizes, where a call
    /// takes microseconds, time a block of calls (up to 2000 in all).
    private func alternatingMedians(
        elements: Int, _ first: () -> Void, _ second: () -> Void
    ) -> (first: Double, second: Double) {
        let calls = max(runs, min(2000, runs * max(1, (1 << 22) / max(elements, 1))))
        let (a, b) = Timing.alternating(turns: runs, callsPerTurn: max(1, calls / runs), first, second)
        return (a.median, b.median)
    }

    /// Input x in [−8, 8] (seeded), gradient g, and outputs, all touched before timing so no
    /// page faults are counted. Each is allocated as NumPy allocates an array (malloc, then
    /// transparent huge pages asked for over the whole 2 MiB pages inside it before the first
    /// touch), so the kernels and the NumPy peer stream the same kind of memory: on 4 KiB
    /// pages one core's streaming ReLU at 2^24 ran 29–39 GB/s here, on 2 MiB pages 37–42
    /// (Zen 4, bench/performance-notes.md).
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
            for buffer in [x, g, y, saved] { adviseHugePages(UnsafeMutableRawBufferPointer(buffer)) }
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
