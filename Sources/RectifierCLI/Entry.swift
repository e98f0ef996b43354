import ArgumentParser

#if canImport(Glibc)
// `stdout` is a C global; line-buffering it once at entry, before any thread, is safe.
@preconcurrency import Glibc
#endif

extension RectifierCommand {
    /// Runs the tool: help and version as usual, every error as one line on stderr with the
    /// exit status argument-parser assigns (64 for usage errors, 1 for failures).
    ///
    /// Standard output is line-buffered, so output redirected to a file holds every line
    /// finished so far (a run stopped at epoch 15 leaves 15 epochs). The arguments (the
    /// process's own from `argv` unless given, as raw bytes) are refused unless they are UTF-8.
    public static func runFromCommandLine(_ rawArguments: [[UInt8]]? = nil) -> Never {
        setvbuf(stdout, nil, _IOLBF, 0)
        do {
            var command = try parseAsRoot(Self.arguments(fromRaw: rawArguments ?? processArguments))
            try command.run()
            Glibc.exit(0)
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is CleanExit {
                exit(withError: error)  // --help, --version: print them in full
            }
            let message = self.message(for: error)
                .split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init)
                ?? "\(error)"
            printToStandardError("rectifier: \(message)")
            Glibc.exit(code.rawValue)
        }
    }
}

/// Writes to stderr unbuffered, so nothing is lost if the process then exits; ends the line
/// unless told not to.
func printToStandardError(_ line: String, newline: Bool = true) {
    var text = line
    if newline, !text.hasSuffix("\n") { text += "\n" }
    _ = text.withCString { write(2, $0, strlen($0)) }
}
