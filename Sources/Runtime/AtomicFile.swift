#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces a file's content all at once: a reader (or a crash) sees either the old file or
/// the complete new one, never a part.
///
/// The bytes go to a temporary file in the target's directory (`.NAME.tmp-PID-XXXXXX`, PID
/// being the writer's process id), which is flushed to the device (`fsync`) and renamed over
/// the target; the directory is then flushed so the rename itself survives a power cut. On
/// any failure the temporary file is removed and the target is left as it was.
///
/// A writer killed mid-write (SIGKILL, a power cut) cannot remove its temporary file. The
/// next successful write of the same target removes every `.NAME.tmp-PID-…` whose process no
/// longer exists on this machine (`kill(PID, 0)` fails with `ESRCH`); files of live processes,
/// and names in any other form, are left alone.
public enum AtomicFile {
    /// Writes `bytes` to `path`, replacing any file there.
    ///
    /// - Parameters:
    ///   - permissions: the new file's mode bits, `0o644` by default (the umask is not applied).
    /// - Complexity: O(n) in the byte count, plus two `fsync` calls.
    /// - Throws: ``AtomicFileError``, naming the path and the system's reason.
    public static func write(_ bytes: [UInt8], to path: String, permissions: UInt32 = 0o644)
        throws(AtomicFileError)
    {
        let result: Result<Void, AtomicFileError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(AtomicFileError) in
                try write(buffer, to: path, permissions: permissions)
            }
        }
        try result.get()
    }

    /// Writes the bytes of `buffer` to `path`, replacing any file there; as the `[UInt8]`
    /// overload.
    public static func write(
        _ buffer: UnsafeRawBufferPointer, to path: String, permissions: UInt32 = 0o644
    ) throws(AtomicFileError) {
        do {
            try write(to: path, permissions: permissions) { try $0.append(buffer) }
        } catch let error as AtomicFileError {
            throw error
        } catch {
            preconditionFailure("AtomicFile: only AtomicFileError can come from appending a buffer")
        }
    }

    /// Unlinks the temporary files of `path` left by writers that have died; best effort
    /// (a directory that cannot be listed, or a file already gone, is no failure).
    private static func removeOrphanedTemporaryFiles(of path: String, in directory: String) {
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        let prefix = temporaryPrefix(for: path)
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasPrefix(prefix),
                let pid = Int32(name.dropFirst(prefix.count).prefix(while: { $0 != "-" })), pid > 0,
                pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            unlink(directory == "/" ? "/\(name)" : "\(directory)/\(name)")
        }
    }

    /// Where ``write(to:permissions:streaming:)`` sends the bytes: the temporary file.
    public struct Sink {
        let descriptor: Int32
        let path: String

        /// Appends the bytes of `buffer`.
        /// - Throws: ``AtomicFileError/writeFailed(path:errno:)``.
        public func append(_ buffer: UnsafeRawBufferPointer) throws(AtomicFileError) {
            var written = 0
            while written < buffer.count {
                let count = writeSome(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw .writeFailed(path: path, errno: errno)
                }
                written += count
            }
        }

        /// Appends the UTF-8 bytes of `text`.
        public func append(_ text: String) throws(AtomicFileError) {
            var text = text
            let result = text.withUTF8 { bytes in
                Result { () throws(AtomicFileError) in try append(UnsafeRawBufferPointer(bytes)) }
            }
            try result.get()
        }
    }

    /// Writes to `path` what `produce` appends to the ``Sink`` it is given, replacing any
    /// file there as ``write(_:to:permissions:)`` does, without holding the whole content in
    /// memory. When `produce` throws, the temporary file is removed, the target is left as it
    /// was, and the error is rethrown.
    /// - Throws: ``AtomicFileError``, or what `produce` throws.
    public static func write(
        to path: String, permissions: UInt32 = 0o644, streaming produce: (Sink) throws -> Void
    ) throws {
        guard !path.isEmpty, !path.hasSuffix("/") else { throw AtomicFileError.notAFilePath(path: path) }
        let directory = directoryName(of: path)
        var template = Array(temporaryName(for: path).utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw AtomicFileError.cannotCreateTemporaryFile(path: path, directory: directory, errno: errno)
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            guard fchmod(descriptor, mode_t(permissions)) == 0 else {
                throw AtomicFileError.writeFailed(path: path, errno: errno)
            }
            try produce(Sink(descriptor: descriptor, path: path))
            guard fsync(descriptor) == 0 else { throw AtomicFileError.syncFailed(path: path, errno: errno) }
        } catch {
            close(descriptor)
            unlink(temporaryPath)
            throw error
        }
        guard close(descriptor) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw AtomicFileError.syncFailed(path: path, errno: code)
        }
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw AtomicFileError.renameFailed(path: path, errno: code)
        }
        try syncDirectory(directory, path: path)
        removeOrphanedTemporaryFiles(of: path, in: directory)
    }

    /// Flushes the directory entry; file systems that cannot sync a directory (`EINVAL`)
    /// are taken at their word.
    private static func syncDirectory(_ directory: String, path: String) throws(AtomicFileError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .syncFailed(path: path, errno: errno) }
        defer { close(descriptor) }
        if fsync(descriptor) != 0 && errno != EINVAL {
            throw .syncFailed(path: path, errno: errno)
        }
    }

    /// The directory part of `path`: `"."` for a bare name, `"/"` for a file at the root.
    static func directoryName(of path: String) -> String {
        let prefix = split(path).directoryPrefix
        return prefix.isEmpty ? "." : prefix == "/" ? "/" : String(prefix.dropLast())
    }

    /// `dir/.name.tmp-PID-XXXXXX`, the `mkstemp` template beside the target.
    static func temporaryName(for path: String) -> String {
        let (directoryPrefix, name) = split(path)
        return "\(directoryPrefix).\(name).tmp-\(getpid())-XXXXXX"
    }

    /// `.name.tmp-`: how every temporary file of `path` begins (without its directory).
    static func temporaryPrefix(for path: String) -> String {
        ".\(split(path).name).tmp-"
    }

    /// `path` as the part up to and including its last `/` (empty when there is none) and
    /// the file name after it.
    private static func split(_ path: String) -> (directoryPrefix: String, name: String) {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }
}
