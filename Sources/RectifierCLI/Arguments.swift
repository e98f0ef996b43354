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
