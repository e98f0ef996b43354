import Activations
import ArgumentParser

/// Reads an activation in the library's spelling; a bad one is a usage error (exit status
/// 64) carrying the library's one-line message.
func parseActivation(_ text: String) throws -> Activation {
    do {
        return try Activation(parsing: text)
    } catch {
        throw ValidationError(error.description)
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
