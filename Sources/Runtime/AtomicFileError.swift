/// Why ``AtomicFile/write(_:to:permissions:)`` could not replace a file. In every case the
/// target is left as it was and no temporary file remains.
public enum AtomicFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path is empty or ends with `/`: it names no file.
    case notAFilePath(path: String)
    /// No temporary file could be made in the target's directory (missing, read-only, not
    /// a directory, no permission, …).
    case cannotCreateTemporaryFile(path: String, directory: String, errno: Int32)
    /// Writing the bytes failed: `ENOSPC` for a full disk, `EFBIG` past the file-size limit.
    case writeFailed(path: String, errno: Int32)
    /// Flushing the bytes to the device (`fsync`) or closing the file failed.
    case syncFailed(path: String, errno: Int32)
    /// Renaming the temporary file over the target failed (e.g. the target is a directory).
    case renameFailed(path: String, errno: Int32)

    /// The path that was to be written.
    public var path: String {
        switch self {
        case let .notAFilePath(path), let .cannotCreateTemporaryFile(path, _, _),
            let .writeFailed(path, _), let .syncFailed(path, _), let .renameFailed(path, _):
            path
        }
    }

    /// The `errno` value that caused the failure, or nil for a path that names no file.
    public var errno: Int32? {
        switch self {
        case .notAFilePath: nil
        case let .cannotCreateTemporaryFile(_, _, code), let .writeFailed(_, code),
            let .syncFailed(_, code), let .renameFailed(_, code):
            code
        }
    }

    public var description: String { "cannot write '\(path)': \(reason)" }

    /// Why, without the path: the description's second half.
    public var reason: String {
        switch self {
        case .notAFilePath:
            "the path names no file (it is empty or ends with '/')"
        case let .cannotCreateTemporaryFile(_, directory, code):
            "cannot create a file in '\(directory)': \(systemMessage(code))"
        case let .writeFailed(_, code):
            "\(systemMessage(code)); the previous file, if any, is unchanged"
        case let .syncFailed(_, code):
            "flushing to disk failed: \(systemMessage(code)); the previous file, if any, is unchanged"
        case let .renameFailed(_, code):
            "cannot replace it: \(systemMessage(code))"
        }
    }
}
