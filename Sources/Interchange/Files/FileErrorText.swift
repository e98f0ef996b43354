#if canImport(FoundationEssentials)
import FoundationEssentials
import Runtime
#else
import Foundation
#endif

/// The one-line reason of a failed file operation, whoever threw it: the system's words
/// (`No such file or directory`, `Permission denied`) in place of Foundation's dump
/// (`Error Domain=NSCocoaErrorDomain Code=260 … UserInfo={…}`), so every command can say
/// "PATH: reason" in one line.
public enum FileErrorText {
    /// The reason of `error`: the `errno` text of a POSIX error, an ``AtomicFileError`` or
    /// the POSIX error under a Foundation file error, a plain phrase for Foundation's other
    /// file error codes, the first line of any other error's description.
    public static func reason(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return systemMessage(posix.code.rawValue) }
        if let atomic = error as? AtomicFileError, let code = atomic.errno { return systemMessage(code) }
        if let cocoa = error as? CocoaError {
            if let posix = cocoa.underlying as? POSIXError { return systemMessage(posix.code.rawValue) }
            if let phrase = phrase(cocoa.code) { return phrase }
        }
        let text = String(describing: error)
        return text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? "unknown error"
    }

    /// `PATH: reason`.
    public static func message(_ error: any Error, path: String) -> String {
        "\(path): \(reason(error))"
    }

    private static func phrase(_ code: CocoaError.Code) -> String? {
        switch code {
        case .fileNoSuchFile, .fileReadNoSuchFile: "No such file or directory"
        case .fileWriteFileExists: "File exists"
        case .fileReadNoPermission, .fileWriteNoPermission: "Permission denied"
        case .fileWriteOutOfSpace: "No space left on device"
        case .fileWriteVolumeReadOnly: "Read-only file system"
        case .fileReadTooLarge: "the file is too large"
        case .fileReadInapplicableStringEncoding, .fileWriteInapplicableStringEncoding: "the text is not valid UTF-8"
        case .fileReadCorruptFile: "the file is damaged or in the wrong format"
        default: nil
        }
    }
}
