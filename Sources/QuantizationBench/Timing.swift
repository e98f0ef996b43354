import Runtime

/// The median and minimum of `repeats` timings of `body` (after one warm-up call), in seconds.
func measure(repeats: Int, _ body: () -> Void) -> (median: Double, minimum: Double) {
    let summary = Timing.measure(calls: repeats, body)
    return (summary.median, summary.minimum)
}
