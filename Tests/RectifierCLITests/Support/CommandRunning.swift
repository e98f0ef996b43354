import ArgumentParser
import Foundation
import RectifierCLI

#if canImport(Glibc)
import Glibc
#endif

/// Runs `rectifier ARGUMENTS…` in process, as the tool's entry point does (parse, validate,
/// run); errors are thrown as they come.
func runRectifier(_ arguments: [String]) throws {
    var command = try RectifierCommand.parseAsRoot(arguments)
    try command.run()
}

/// The exit status and one-line message the tool gives for `error`.
func exitStatusAndMessage(_ error: any Error) -> (Int32, String) {
    (RectifierCommand.exitCode(for: error).rawValue, RectifierCommand.message(for: error))
}

/// Runs `rectifier ARGUMENTS…` and returns the error it ends with (nil on success).
func failureOfRectifier(_ arguments: [String]) -> (any Error)? {
    do {
        try runRectifier(arguments)
        return nil
    } catch {
        return error
    }
}

/// The lines `body` printed to standard output. Other tests running at the same time may
/// print into the same window: callers look for their own line.
func capturingStandardOutput(_ body: () throws -> Void) throws -> [String] {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("stdout-\(UUID().uuidString)").path
    defer { unlink(path) }
    fflush(nil)
    let saved = dup(1)
    let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    dup2(file, 1)
    close(file)
    defer {
        fflush(nil)
        dup2(saved, 1)
        close(saved)
    }
    try body()
    fflush(nil)
    return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
}
