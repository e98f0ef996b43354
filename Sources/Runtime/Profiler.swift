import Synchronization

/// Timers around the library's matrix products and activation layers, so a benchmark can
/// say where an epoch's time goes. A profiler counts only the calls made under an
/// ``Execution`` that carries it; without one each probe costs a task-local read. Time
/// spent in nested or concurrent calls is counted once per call.
public final class Profiler: Sendable {
    /// What a timer measures.
    public enum Category: Int, CaseIterable, Sendable {
        /// Matrix products (`BLAS.gemm`).
        case gemm
        /// Activation and PReLU layers, forward and backward.
        case activations
    }

    private let gemmNanoseconds = Atomic<UInt64>(0)
    private let activationNanoseconds = Atomic<UInt64>(0)

    public init() {}

    /// Sets every timer to zero.
    public func reset() {
        gemmNanoseconds.store(0, ordering: .relaxed)
        activationNanoseconds.store(0, ordering: .relaxed)
    }

    /// Seconds accumulated in `category` since the last ``reset()``.
    public func seconds(in category: Category) -> Double {
        let total = category == .gemm
            ? gemmNanoseconds.load(ordering: .relaxed) : activationNanoseconds.load(ordering: .relaxed)
        return Double(total) / 1e9
    }

    /// Adds `nanoseconds` to `category`.
    package func add(_ nanoseconds: UInt64, to category: Category) {
        switch category {
        case .gemm: gemmNanoseconds.add(nanoseconds, ordering: .relaxed)
        case .activations: activationNanoseconds.add(nanoseconds, ordering: .relaxed)
        }
    }
}

/// The probes the library puts around timed calls: `let start = Profiling.start()` before,
/// `Profiling.stop(start, .gemm)` after; both report to ``Execution/current``'s profiler.
package enum Profiling {
    /// A monotonic clock reading in nanoseconds, or 0 when the current execution has no
    /// profiler.
    @inlinable
    package static func start() -> UInt64 {
        Execution.current.profiler == nil ? 0 : MonotonicClock.nanoseconds
    }

    /// Adds the time since `start` to `category` (nothing when `start` is 0).
    @inlinable
    package static func stop(_ start: UInt64, _ category: Profiler.Category) {
        guard start != 0, let profiler = Execution.current.profiler else { return }
        profiler.add(MonotonicClock.nanoseconds &- start, to: category)
    }
}
