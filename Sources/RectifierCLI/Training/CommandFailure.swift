/// A command that could not finish (exit status 1), with its reason in one line. Usage
/// errors (a flag's value that cannot work) are `ValidationError`s instead (exit status 64).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
