#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces a file's content all at once: a reader (or a crash) sees either the old file or
/// the complete new one, never a part.
///
/// The bytes go to a temporary file in the target's directory (`.NAME.tmp-XXXXXX`), which is
/// flushed to the device (`fsync`) and renamed over the target; the directory is then
/// flushed so the rename itself survives a power cut. On any failure the temporary file is
/// removed and the target is left as it was.
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
        guard !path.isEmpty, !path.hasSuffix("/") else { throw .notAFilePath(path: path) }
        let directory = directoryName(of: path)
        var template = Array(temporaryName(for: path).utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw .cannotCreateTemporaryFile(path: path, directory: directory, errno: errno)
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        let temporaryPath = String(
            decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do throws(AtomicFileError) {
            try fill(descriptor, with: buffer, permissions: permissions, path: path)
        } catch {
            close(descriptor)
            unlink(temporaryPath)
            throw error
        }
        guard close(descriptor) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw .syncFailed(path: path, errno: code)
        }
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw .renameFailed(path: path, errno: code)
        }
        try syncDirectory(directory, path: path)
    }

    private static func fill(
        _ descriptor: Int32, with buffer: UnsafeRawBufferPointer, permissions: UInt32,
        path: String
    ) throws(AtomicFileError) {
        guard fchmod(descriptor, mode_t(permissions)) == 0 else {
            throw .writeFailed(path: path, errno: errno)
        }
        var written = 0
        while written < buffer.count {
            let count = writeSome(descriptor, buffer.baseAddress! + written, buffer.count - written)
            if count < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: path, errno: errno)
            }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw .syncFailed(path: path, errno: errno) }
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
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        let directory = String(path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    /// `dir/.name.tmp-XXXXXX`, the `mkstemp` template beside the target.
    static func temporaryName(for path: String) -> String {
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let prefix = slash.map { String(path[...$0]) } ?? ""
        return "\(prefix).\(name).tmp-XXXXXX"
    }
}
