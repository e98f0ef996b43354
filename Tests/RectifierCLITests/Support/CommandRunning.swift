import ArgumentParser
import Foundation
import RectifierCLI
import Testing

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

/// One capture at a time: a capture moves file descriptor 1, which the whole process shares,
/// so two overlapping captures would send one's lines into the other's file (or back to the
/// terminal when the other ends first).
private let captureLock = NSRecursiveLock()

/// The lines `body` printed to standard output. Other tests running at the same time may
/// print into the same window: callers look for their own line.
func capturingStandardOutput(_ body: () throws -> Void) throws -> [String] {
    captureLock.lock()
    defer { captureLock.unlock() }
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

/// Expects `rectifier ARGUMENTS…` to be refused while parsing: exit status 64 (usage) and a
/// one-line message that contains `named`, when given.
func expectUsageError(
    _ arguments: [String], naming named: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    do {
        _ = try RectifierCommand.parseAsRoot(arguments)
        Issue.record("\(arguments) parsed", sourceLocation: sourceLocation)
    } catch {
        let (status, message) = exitStatusAndMessage(error)
        #expect(status == 64, "\(arguments)", sourceLocation: sourceLocation)
        if let named {
            #expect(message.contains(named), "\(arguments): \(message)", sourceLocation: sourceLocation)
        }
        #expect(!message.contains("\n"), "\(arguments): \(message)", sourceLocation: sourceLocation)
    }
}
