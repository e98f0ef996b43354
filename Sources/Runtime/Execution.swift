#if canImport(Glibc)
import Glibc
#endif

/// How the library's work runs: the number of threads parallel kernels may split across and
/// the profiler, if any, that timed calls report to.
///
/// A value, not process state: ``run(_:)`` makes it ``current`` for the calls inside its
/// closure, on the calling thread or task only, so tests and commands running side by side
/// each see their own. Outside any ``run(_:)``, ``current`` uses every active processor and
/// no profiler. The same thread count gives bit-identical results.
///
/// ```swift
/// let profiler = Profiler()
/// try Execution(threads: 2, profiler: profiler).run { try trainer.train(…) }
/// profiler.seconds(in: .gemm)
/// ```
public struct Execution: Sendable {
    /// The threads parallel work is split across (≥ 1).
    public let threads: Int
    /// Receives the time spent in matrix products and activation layers; nil: not timed.
    public let profiler: Profiler?

    /// - Parameter threads: clamped to at least 1; nil means every active processor.
    public init(threads: Int? = nil, profiler: Profiler? = nil) {
        self.threads = Swift.max(1, threads ?? Self.processorCount)
        self.profiler = profiler
    }

    /// The execution of the calls in progress on this thread or task.
    @TaskLocal public static var current = Execution()

    /// One thread, no profiler.
    public static let serial = Execution(threads: 1)

    /// The number of active processors (≥ 1).
    public static let processorCount: Int = Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Runs `body` with this execution as ``current``.
    public func run<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        let outcome: Swift.Result<Result, Failure> = Self.$current.withValue(self) {
            Swift.Result { () throws(Failure) in try body() }
        }
        return try outcome.get()
    }

    /// This execution with another thread count.
    public func with(threads: Int) -> Execution { Execution(threads: threads, profiler: profiler) }

    /// This execution reporting to `profiler`.
    public func with(profiler: Profiler?) -> Execution { Execution(threads: threads, profiler: profiler) }

    /// Splits `0..<count` into at most ``threads`` contiguous chunks of at least
    /// `minimumChunk` elements and runs `body` on each, in parallel when there is more than
    /// one, on the pool of spinning workers (``WorkerPool``: chunk 0 on the calling thread).
    /// Each chunk but the last holds ⌈count / chunks⌉ rounded up to a multiple of
    /// `alignment`; the split depends only on `count`, the arguments and ``threads``. Small
    /// work stays on the calling thread: no hand-off.
    @inlinable
    public func forEachChunk(
        count: Int, minimumChunk: Int, alignment: Int = 64, _ body: (Range<Int>) -> Void
    ) {
        forEachIndexedChunk(count: count, minimumChunk: minimumChunk, alignment: alignment) { body($1) }
    }

    /// As ``forEachChunk(count:minimumChunk:alignment:_:)``, passing each chunk's index
    /// (0 ..< ``threads``) with its range, for work that keeps one partial result per chunk.
    public func forEachIndexedChunk(
        count: Int, minimumChunk: Int, alignment: Int = 64, _ body: (Int, Range<Int>) -> Void
    ) {
        let chunks = Swift.min(threads, count / Swift.max(minimumChunk, 1))
        if chunks <= 1 {
            body(0, 0..<count)
            return
        }
        let perChunk = (count + chunks - 1) / chunks
        let aligned = (perChunk + alignment - 1) / alignment * alignment
        WorkerPool.shared.run(blocks: chunks) { chunk in
            let start = chunk * aligned
            let end = Swift.min(count, start + aligned)
            if start < end { body(chunk, start..<end) }
        }
    }
}

/// Carries a value that is safe to share by construction (for example a buffer pointer
/// whose chunks are written by disjoint threads) into a `@Sendable` closure.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    @inlinable public init(_ value: Value) { self.value = value }
}
