import ArgumentParser
import Interchange
import Runtime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A command that could not finish (exit status 1), with its reason in one line. Usage
/// errors (a flag's value that cannot work) are `ValidationError`s instead (exit status 64).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Writes `value` to `path` (a `--json` file) as pretty-printed JSON with sorted snake_case
/// keys, atomically (``AtomicFile``); a failure names the flag, the path and the reason
/// (``FileErrorText/reason(_:)``).
func writeJSON(_ value: some Encodable, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    do {
        try AtomicFile.write(Array(try encoder.encode(value)), to: path)
    } catch {
        throw CommandFailure("--json \(path): cannot write the file: \(FileErrorText.reason(error))")
    }
}

/// `value` as one line of JSON with sorted keys (`snakeCase`: keys from the names in
/// snake_case; `escapingSlashes`: `/` written `\/`). The values encoded here (strings,
/// integers, finite numbers, null) always encode.
func jsonLine(_ value: some Encodable, snakeCase: Bool = false, escapingSlashes: Bool = true) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = escapingSlashes ? [.sortedKeys] : [.sortedKeys, .withoutEscapingSlashes]
    if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
    return String(decoding: try! encoder.encode(value), as: UTF8.self)
}

/// `body`'s value; an error it throws becomes a ``CommandFailure`` (exit status 1) with its
/// one line after `context`.
func asFailure<T>(_ context: String = "", _ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw CommandFailure(context + "\(error)") }
}

/// `body`'s value; an error it throws becomes a usage error (`ValidationError`, exit status
/// 64) with its one line after `context`.
func asUsageError<T>(_ context: String = "", _ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw ValidationError(context + "\(error)") }
}
