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

/// Writes to stderr unbuffered, so nothing is lost if the process then exits; ends the line
/// unless told not to.
func printToStandardError(_ line: String, newline: Bool = true) {
    var text = line
    if newline, !text.hasSuffix("\n") { text += "\n" }
    _ = text.withCString { write(2, $0, strlen($0)) }
}
