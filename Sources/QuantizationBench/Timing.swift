import Dispatch
import Networks

/// The median and minimum of `repeats` timings of `body` (after one warm-up call), in seconds.
func measure(repeats: Int, _ body: () -> Void) -> (median: Double, minimum: Double) {
    body()
    var seconds: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    seconds.sort()
    return (seconds[seconds.count / 2], seconds[0])
}
