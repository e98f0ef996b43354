// The timing loop of the stand-alone benchmarks in this folder (compiled with each of them
// by the Makefile's bench-onnx and bench-safetensors targets).

#if canImport(Glibc)
    import Glibc
#endif

/// Wall time of one call of `body`, in seconds (CLOCK_MONOTONIC).
func seconds(_ body: () throws -> Void) rethrows -> Double {
    var start = timespec()
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    try body()
    clock_gettime(CLOCK_MONOTONIC, &end)
    return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) * 1e-9
}

/// Runs `body` `repeats` times and prints the minimum and median time, in µs.
func report(_ name: String, repeats: Int, _ body: () throws -> Void) rethrows {
    var times: [Double] = []
    for _ in 0..<repeats { times.append(try seconds(body)) }
    times.sort()
    let format = { (value: Double) in String(Int((value * 1e6).rounded())) + " µs" }
    print("\(name): min \(format(times[0])), median \(format(times[times.count / 2])) over \(repeats) runs")
}
