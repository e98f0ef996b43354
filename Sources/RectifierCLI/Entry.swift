import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

extension RectifierCommand {
    /// Runs the tool: help and version as usual, every error as one line on stderr with the
    /// exit status argument-parser assigns (64 for usage errors, 1 for failures).
    public static func runFromCommandLine(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
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

/// Writes one line to stderr (unbuffered, so it is not lost if the process then exits).
func printToStandardError(_ line: String) {
    var text = line
    if !text.hasSuffix("\n") { text += "\n" }
    _ = text.withCString { write(2, $0, strlen($0)) }
}
