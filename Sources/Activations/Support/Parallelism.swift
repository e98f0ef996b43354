import Synchronization

/// How many threads the library's parallel kernels use.
///
/// The default is the number of active processors. `rectifier --threads N` sets it for a
/// whole run; results are bit-identical for the same thread count.
public enum Parallelism {
    private static let configuredThreads = Atomic<Int>(0)

    /// The number of threads parallel work is split across (≥ 1).
    public static var threadCount: Int {
        get {
            let configured = configuredThreads.load(ordering: .relaxed)
            return configured > 0 ? configured : ProcessInfoShim.activeProcessorCount
        }
        set { configuredThreads.store(max(1, newValue), ordering: .relaxed) }
    }

    /// Splits `0..<count` into at most `threadCount` contiguous chunks of at least
    /// `minimumChunk` elements (each a multiple of `alignment`, but for the last) and runs
    /// `body` on each, in parallel when there is more than one chunk, on the library's one
    /// pool of spinning workers (``WorkerPool``: chunk 0 on the calling thread). Small work
    /// stays on the calling thread: no hand-off.
    public static func forEachChunk(
        count: Int, minimumChunk: Int, alignment: Int = 64,
        _ body: (Range<Int>) -> Void
    ) {
        let chunks = Swift.min(threadCount, count / Swift.max(minimumChunk, 1))
        if chunks <= 1 {
            body(0..<count)
            return
        }
        let perChunk = (count / chunks + alignment - 1) / alignment * alignment
        WorkerPool.shared.run(blocks: chunks) { chunk in
            let start = chunk * perChunk
            let end = chunk == chunks - 1 ? count : Swift.min(count, start + perChunk)
            if start < end { body(start..<end) }
        }
    }
}

/// Carries a value that is safe to share by construction (for example a buffer pointer
/// whose chunks are written by disjoint threads) into a `@Sendable` closure.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    @inlinable public init(_ value: Value) { self.value = value }
}

#if canImport(Glibc)
import Glibc
#endif

@usableFromInline
enum ProcessInfoShim {
    @usableFromInline
    static let activeProcessorCount: Int = {
        #if canImport(Glibc)
        return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()
}
