import Activations
import ArgumentParser
import Runtime

/// Reads an activation in the library's spelling; a bad one is a usage error (exit status
/// 64) carrying the library's one-line message.
func parseActivation(_ text: String) throws -> Activation {
    try asUsageError { try Activation(parsing: text) }
}

/// Refuses an integer flag's value outside `range` (a usage error).
func requireRange(_ value: Int, _ range: ClosedRange<Int>, flag: String) throws {
    guard range.contains(value) else {
        throw ValidationError("\(flag) must be from \(range.lowerBound) to \(range.upperBound), got \(value)")
    }
}

/// The most threads `--threads` accepts: more only multiplies idle workers.
let maximumThreads = 1024

/// Refuses a `--threads` value outside 1…``maximumThreads`` (a usage error).
func requireThreadCount(_ threads: Int?) throws {
    if let threads, !(1...maximumThreads).contains(threads) {
        throw ValidationError("--threads \(threads) is not allowed (an integer from 1 to \(maximumThreads))")
    }
}

/// `--threads N`: the thread count a command runs under (default: every active processor).
struct ThreadOption: ParsableArguments {
    @Option(help: "Threads for BLAS and the kernels (default: all processors).")
    var threads: Int?

    func validate() throws { try requireThreadCount(threads) }

    /// `body` under an execution context of that many threads.
    func run<Result>(_ body: () throws -> Result) throws -> Result { try Execution(threads: threads).run(body) }
}
