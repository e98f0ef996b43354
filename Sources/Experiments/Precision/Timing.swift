/// Wall-clock timing of a repeated call, for throughput figures.
enum Timing {
    /// The median duration of `body` in seconds, calling it (after one warm-up call) until
    /// at least `seconds` have passed and at least 5 calls were timed.
    static func medianSeconds(atLeast seconds: Double, _ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        try body()
        var durations: [Double] = []
        var total = 0.0
        while total < seconds || durations.count < 5 {
            let start = clock.now
            try body()
            let elapsed = start.duration(to: clock.now)
            let value = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            durations.append(value)
            total += value
        }
        durations.sort()
        return durations[durations.count / 2]
    }
}
