#if canImport(Glibc)
import Glibc
#endif

/// A command that could not finish (exit status 1), with its reason in one line. Usage
/// errors (a flag's value that cannot work) are `ValidationError`s instead (exit status 64).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension CommandFailure {
    /// Fails before any work when the file `path` could not be created: its directory is
    /// missing, not a directory, or not writable (so a long run does not find out at its
    /// first checkpoint).
    static func requireWritableDirectory(for path: String, flag: String) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        var status = stat()
        guard stat(directory, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw CommandFailure("\(flag) \(path): the directory \(directory) does not exist")
        }
        guard access(directory, W_OK) == 0 else {
            throw CommandFailure("\(flag) \(path): the directory \(directory) is not writable")
        }
    }
}
