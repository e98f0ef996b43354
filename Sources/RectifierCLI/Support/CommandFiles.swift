import ArgumentParser
import Datasets

#if canImport(Glibc)
import Glibc
#endif

/// The files one command reads and writes, checked before it does any work, so that a long
/// run never finds out at its end that it cannot write its result, and never writes over
/// what it reads.
///
/// - Each output's directory must exist and let a file be created in it (tried, not
///   inferred from permission bits: root may not create files in /proc or /sys either); an
///   existing output must be a regular file (never a directory, a device or a pipe, which an
///   atomic replacement would swap for a plain file). Failures exit with status 1.
/// - Two outputs naming the same file, or an output naming an input, are usage errors
///   (status 64) naming both flags. Files are compared by identity (device and inode, or
///   directory and name for a file yet to be made), so `x`, `./x`, a symbolic link to `x`
///   and a hard link of `x` are all the same file.
struct CommandFiles {
    /// A file named on the command line.
    struct Named {
        /// The flag or argument that names it, as messages show it (`--save`, `MODEL`).
        let flag: String
        let path: String
    }

    private(set) var inputs: [Named] = []
    private(set) var outputs: [Named] = []
    /// (output flag, input flag) pairs allowed to name one file: `train --resume m --save m`
    /// continues a run in place, replacing the checkpoint atomically.
    private var replacements: Set<[String]> = []

    /// Adds a file the command reads (nil: not given).
    mutating func reads(_ path: String?, flag: String) {
        if let path { inputs.append(Named(flag: flag, path: path)) }
    }

    /// Adds the files a command reading the data at `path` would read: the MNIST-format
    /// files of a directory (the default data set when nil), or the file itself.
    mutating func readsData(_ path: String?, flag: String = "--data") {
        let path = path ?? FashionMNIST.defaultDirectory
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            inputs.append(Named(flag: flag, path: path))
            return
        }
        let names = [
            MNISTFormat.trainingImagesFile, MNISTFormat.trainingLabelsFile, MNISTFormat.testImagesFile,
            MNISTFormat.testLabelsFile,
        ]
        for name in names {
            if let path = MNISTFormat.locate(name, in: path) { inputs.append(Named(flag: flag, path: path)) }
        }
    }

    /// Adds a file the command writes (nil: not given).
    mutating func writes(_ path: String?, flag: String) {
        if let path { outputs.append(Named(flag: flag, path: path)) }
    }

    /// Lets the output of `outputFlag` be the input of `inputFlag`.
    mutating func allowReplacing(_ inputFlag: String, by outputFlag: String) {
        replacements.insert([outputFlag, inputFlag])
    }

    /// Checks every output, then that no two files clash.
    /// - Throws: ``CommandFailure`` for an output that cannot be written; `ValidationError`
    ///   for two outputs, or an output and an input, that are one file.
    func check() throws {
        for output in outputs { try Self.requireWritableFile(output) }
        let outputIdentities = outputs.map { FileIdentity(path: $0.path) }
        for (index, output) in outputs.enumerated() {
            for (other, identity) in zip(outputs[..<index], outputIdentities) where identity == outputIdentities[index] {
                throw ValidationError(
                    "\(other.flag) \(other.path) and \(output.flag) \(output.path) are the same file; give each its own")
            }
        }
        let inputIdentities = inputs.map { FileIdentity(path: $0.path) }
        for (output, outputIdentity) in zip(outputs, outputIdentities) {
            for (input, inputIdentity) in zip(inputs, inputIdentities)
            where inputIdentity != nil && inputIdentity == outputIdentity && !replacements.contains([output.flag, input.flag]) {
                throw ValidationError(
                    "\(output.flag) \(output.path) is \(input.flag) \(input.path), which the command reads; give another file to write")
            }
        }
    }

    /// Fails unless a file can be created at `file.path` (or the existing regular file
    /// replaced).
    static func requireWritableFile(_ file: Named) throws {
        let (flag, path) = (file.flag, file.path)
        guard !path.isEmpty else { throw ValidationError("\(flag) needs a file name") }
        var status = stat()
        if stat(path, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            if kind == S_IFDIR { throw CommandFailure("\(flag) \(path): is a directory; give a file name") }
            if kind != S_IFREG { throw CommandFailure("\(flag) \(path): is not a regular file; give a file name") }
        } else if path.hasSuffix("/") {
            throw CommandFailure("\(flag) \(path): names a directory; give a file name")
        }
        let directory = directoryName(of: path)
        guard stat(directory, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            throw CommandFailure("\(flag) \(path): the directory \(directory) does not exist")
        }
        if let reason = creationFailure(in: directory) {
            throw CommandFailure("\(flag) \(path): cannot create a file in \(directory): \(reason)")
        }
    }

    /// Fails unless `path` is, or can become, a directory that files can be created in: an
    /// existing directory, or a path whose nearest existing ancestor is one.
    static func requireWritableDirectory(_ path: String, flag: String) throws {
        guard !path.isEmpty else { throw ValidationError("\(flag) needs a directory name") }
        var status = stat()
        var existing = path
        while stat(existing, &status) != 0 {
            guard errno == ENOENT || errno == ENOTDIR, existing != "/", existing != "." else { break }
            existing = directoryName(of: existing)
        }
        guard stat(existing, &status) == 0 else {
            throw CommandFailure("\(flag) \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw CommandFailure(
                existing == path ? "\(flag) \(path): is a file, not a directory"
                    : "\(flag) \(path): \(existing) is a file, not a directory")
        }
        if let reason = creationFailure(in: existing) {
            throw CommandFailure("\(flag) \(path): cannot create files in \(existing): \(reason)")
        }
    }

    /// Creates and removes an empty file in `directory`; the system's reason when it cannot.
    private static func creationFailure(in directory: String) -> String? {
        var template = Array("\(directory)/.rectifier-probe-\(getpid())-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        close(descriptor)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return nil
    }

    /// The directory part of `path`: `.` for a bare name, `/` at the root; trailing slashes
    /// ignored.
    static func directoryName(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    /// `path` without the slashes at its end (`/` stays `/`).
    static func withoutTrailingSlashes(_ path: String) -> Substring {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed
    }

    /// Whether two existing paths name one file or directory (device and inode).
    static func sameExistingFile(_ first: String, _ second: String) -> Bool {
        let identity = FileIdentity(path: first)
        guard case .existing = identity else { return false }
        return identity == FileIdentity(path: second)
    }
}

/// Which file a path names: its device and inode when it exists, else its directory's
/// device and inode and its name.
private enum FileIdentity: Equatable {
    case existing(device: UInt64, inode: UInt64)
    case toBeCreated(device: UInt64, inode: UInt64, name: String)

    /// Nil when neither the file nor its directory exists.
    init?(path: String) {
        var status = stat()
        if stat(path, &status) == 0 {
            self = .existing(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
            return
        }
        guard stat(CommandFiles.directoryName(of: path), &status) == 0 else { return nil }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        self = .toBeCreated(device: UInt64(status.st_dev), inode: UInt64(status.st_ino), name: name)
    }
}
