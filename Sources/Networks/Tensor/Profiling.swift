import Activations
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Cheap opt-in timers around the library's GEMM and activation calls, so a benchmark can
/// say where an epoch's time goes. Off by default; when off each probe is one relaxed
/// atomic load. Time spent in nested or concurrent calls is counted once per call.
public enum Profiling {
    /// What a timer measures.
    public enum Category: Int, CaseIterable, Sendable {
        /// Matrix products in ``BLAS``.
        case gemm
        /// Activation and PReLU layers, forward and backward.
        case activations
    }

    @usableFromInline
    static let enabled = Atomic<Bool>(false)
    @usableFromInline
    static let gemmNanoseconds = Atomic<UInt64>(0)
    @usableFromInline
    static let activationNanoseconds = Atomic<UInt64>(0)

    /// Whether the timers run. Setting it does not reset them.
    public static var isEnabled: Bool {
        get { enabled.load(ordering: .relaxed) }
        set { enabled.store(newValue, ordering: .relaxed) }
    }

    /// Sets every timer to zero.
    public static func reset() {
        gemmNanoseconds.store(0, ordering: .relaxed)
        activationNanoseconds.store(0, ordering: .relaxed)
    }

    /// Seconds accumulated in `category` since the last ``reset()``.
    public static func seconds(in category: Category) -> Double {
        let total = category == .gemm
            ? gemmNanoseconds.load(ordering: .relaxed)
            : activationNanoseconds.load(ordering: .relaxed)
        return Double(total) / 1e9
    }

    /// A monotonic clock reading in nanoseconds, or 0 when profiling is off.
    @inlinable
    static func start() -> UInt64 {
        enabled.load(ordering: .relaxed) ? monotonicNanoseconds() : 0
    }

    /// Adds the time since `start` to `category` (nothing when `start` is 0).
    @inlinable
    static func stop(_ start: UInt64, _ category: Category) {
        guard start != 0 else { return }
        let elapsed = monotonicNanoseconds() &- start
        switch category {
        case .gemm: gemmNanoseconds.add(elapsed, ordering: .relaxed)
        case .activations: activationNanoseconds.add(elapsed, ordering: .relaxed)
        }
    }
}

