import Dispatch

/// The timing loop of every `rectifier bench` subcommand: `warmUp` untimed calls of `body`,
/// then `calls` timed ones on the monotonic clock; the times in seconds, sorted.
struct Timings {
    let seconds: [Double]

    init(calls: Int, warmUp: Int = 0, _ body: () throws -> Void) rethrows {
        for _ in 0..<warmUp { try body() }
        var times: [Double] = []
        times.reserveCapacity(calls)
        for _ in 0..<calls {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        seconds = times.sorted()
    }

    /// The fastest call: on a shared machine, the figure least disturbed by others.
    var minimum: Double { seconds[0] }

    /// The middle time (the mean of the two middle ones for an even count).
    var median: Double {
        let middle = seconds.count / 2
        return seconds.count % 2 == 1 ? seconds[middle] : (seconds[middle - 1] + seconds[middle]) / 2
    }

    /// `name: min X µs, median Y µs over N runs`, the line the file benchmarks print.
    func line(_ name: String) -> String {
        let format = { (value: Double) in String(Int((value * 1e6).rounded())) + " µs" }
        return "\(name): min \(format(minimum)), median \(format(median)) over \(seconds.count) runs"
    }
}
