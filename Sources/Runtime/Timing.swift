#if canImport(Glibc)
import Glibc
#endif

/// The one clock: CLOCK_MONOTONIC, unaffected by changes of the wall-clock time.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point.
    @inlinable
    public static var nanoseconds: UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// Seconds since an arbitrary fixed point; differences are durations.
    public static var now: Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}

/// The one timing loop of the benchmarks: untimed warm-up calls, then timed calls until
/// both a count and a total time are reached.
public enum Timing {
    /// The median and the minimum of the timed durations, in seconds.
    public struct Summary: Sendable, Equatable {
        /// The middle duration; the mean of the two middle ones for an even count.
        public var median: Double
        public var minimum: Double
        /// How many calls were timed.
        public var calls: Int
        /// Every timed duration, in call order (their spread shows the machine's load).
        public var durations: [Double]

        /// The summary of `durations` (at least one).
        public init(_ durations: [Double]) {
            self.durations = durations
            median = durations.median
            minimum = durations.min()!
            calls = durations.count
        }
    }

    /// Calls `body` `warmUps` times untimed, then times it until at least `calls` calls and
    /// at least `seconds` seconds in all.
    public static func measure<Failure: Error>(
        warmUps: Int = 1, calls: Int, atLeast seconds: Double = 0, _ body: () throws(Failure) -> Void
    ) throws(Failure) -> Summary {
        for _ in 0..<warmUps { try body() }
        var durations: [Double] = []
        var total = 0.0
        while durations.count < Swift.max(calls, 1) || total < seconds {
            let start = MonotonicClock.nanoseconds
            try body()
            let elapsed = Double(MonotonicClock.nanoseconds - start) * 1e-9
            durations.append(elapsed)
            total += elapsed
        }
        return Summary(durations)
    }

    /// Times `first` and `second` in alternation, so that on a shared machine both see the
    /// same moments and their ratio holds when the speed of the moment does not: one untimed
    /// call of each, then `turns` turns, each timing `callsPerTurn` calls of `first` and then
    /// of `second`; with more than one call per turn, an untimed call first brings the body's
    /// buffers back into the cache the other body used.
    public static func alternating(
        turns: Int, callsPerTurn: Int = 1, _ first: () -> Void, _ second: () -> Void
    ) -> (first: Summary, second: Summary) {
        var firstDurations: [Double] = [], secondDurations: [Double] = []
        func time(_ body: () -> Void, into durations: inout [Double]) {
            if callsPerTurn > 1 { body() }
            for _ in 0..<Swift.max(callsPerTurn, 1) {
                let start = MonotonicClock.nanoseconds
                body()
                durations.append(Double(MonotonicClock.nanoseconds - start) * 1e-9)
            }
        }
        first()
        second()
        for _ in 0..<Swift.max(turns, 1) {
            time(first, into: &firstDurations)
            time(second, into: &secondDurations)
        }
        return (Summary(firstDurations), Summary(secondDurations))
    }
}

extension [Double] {
    /// The middle value, the mean of the two middle ones for an even count; NaN for none.
    package var median: Double {
        let sorted = self.sorted(), middle = sorted.count / 2
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
