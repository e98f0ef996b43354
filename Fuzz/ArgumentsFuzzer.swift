// libFuzzer harness for the command line's argument parsing; not built by SwiftPM. Run from
// the repo root:
//
//   make fuzz-arguments FUZZ_RUNS=1000000
//
// which has SwiftPM build RectifierCLI and its dependencies with coverage and
// AddressSanitizer in .build-fuzz, links this file against their objects, and runs it on
// the seeds in Fuzz/Seeds/arguments (NUL-separated command lines) with the command and
// option names of Fuzz/arguments.dict, 5 s per input and 1 GB of memory at most. A finding
// is a crash, an AddressSanitizer report, a timeout or an out-of-memory.
import ArgumentParser
import RectifierCLI

/// The input is an argument vector, one argument per NUL-separated piece (an argument can
/// hold any byte but NUL; bytes that are not UTF-8 are repaired, as `CommandLine` does).
///
/// Only parsing and validation run, never a command: `parseAsRoot` must return a command or
/// throw, and the error (usage, help, version, completion script) must produce its message
/// and an exit status; a failure (not help, not a clean exit) must have a message to print
/// (`runFromCommandLine` prints its first line).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArgumentParsing(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let arguments = text.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
    do {
        _ = try RectifierCommand.parseAsRoot(arguments)
    } catch {
        let status = RectifierCommand.exitCode(for: error)
        let message = RectifierCommand.fullMessage(for: error)
        if status != .success && !(error is CleanExit) {
            precondition(!RectifierCommand.message(for: error).isEmpty || !message.isEmpty)
        }
    }
    return 0
}
