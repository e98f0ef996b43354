import ArgumentParser

extension RectifierCommand {
    /// The most arguments a command line may have, besides the values of `eval`.
    static let argumentLimit = 1024

    /// Parses and validates `arguments` as argument-parser's `parseAsRoot` does, in time
    /// linear in the number of values given to `eval`.
    ///
    /// argument-parser stores each value of a repeating positional argument by copying every
    /// value before it, so n values cost O(n²) (8 000 took 4.5 s, 100 000 minutes). The
    /// values of `eval` after its first are therefore set aside before parsing and appended
    /// to the parsed command; any other command line longer than ``argumentLimit`` is
    /// refused (no command takes that many).
    /// - Throws: what argument-parser throws; `ValidationError` for too many arguments.
    public static func parseAsRoot(_ arguments: [String]? = nil) throws -> any ParsableCommand {
        let (kept, values) = EvalCommand.setAsideValues(arguments ?? Array(CommandLine.arguments.dropFirst()))
        guard kept.count <= argumentLimit else {
            throw ValidationError(
                "\(kept.count) arguments are too many (at most \(argumentLimit)); eval takes long lists after `--` or from --input FILE")
        }
        let command = try parseWithArgumentParser(Self.self, kept)
        guard !values.isEmpty, var eval = command as? EvalCommand else { return command }
        eval.values += values
        return eval
    }
}

/// argument-parser's own `parseAsRoot` (generic code calls the protocol extension's).
private func parseWithArgumentParser<Command: ParsableCommand>(
    _ type: Command.Type, _ arguments: [String]
) throws -> any ParsableCommand {
    try Command.parseAsRoot(arguments)
}

extension EvalCommand {
    /// Options of `eval` followed by a value.
    private static let optionsWithValue: Set = ["--type", "--input"]

    /// Splits an `eval` command line into what argument-parser must parse (the activation and
    /// the first value kept, so validation sees them) and the later values, in order. Any
    /// other command line, or one with an option `eval` does not know (`--help`, a negative
    /// number before `--`), is returned whole, for argument-parser to judge.
    static func setAsideValues(_ arguments: [String]) -> (kept: [String], values: [String]) {
        guard arguments.first == configuration.commandName else { return (arguments, []) }
        var kept = [arguments[0]], values: [String] = []
        var positionals = 0, afterTerminator = false, index = 1
        while index < arguments.count {
            let argument = arguments[index]
            if afterTerminator || !argument.hasPrefix("-") {
                positionals += 1
                if positionals <= 2 { kept.append(argument) } else { values.append(argument) }
            } else if argument == "--" {
                afterTerminator = true
                kept.append(argument)
            } else if optionsWithValue.contains(argument) {
                kept.append(contentsOf: arguments[index..<Swift.min(index + 2, arguments.count)])
                index += 1
            } else if optionsWithValue.contains(where: { argument.hasPrefix($0 + "=") }) {
                kept.append(argument)
            } else {
                return (arguments, [])
            }
            index += 1
        }
        return (kept, values)
    }
}
