import Foundation

/// Writes a whole file or nothing: the text goes to a fresh temporary file in the target's
/// directory (so the final rename never crosses file systems), is flushed to disk, and is
/// renamed over the target. On any failure the temporary file is removed.
enum AtomicFile {
    static func write(_ text: String, to path: String) throws(PlotError) {
        guard !path.isEmpty else { throw .cannotWrite(path: path, reason: "the path is empty") }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty, name != ".", name != ".." else {
            throw .cannotWrite(path: path, reason: "the path names a directory, not a file")
        }
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let temporary = "\(directory).\(name).\(getpid()).\(suffix).tmp"

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw failure(path) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let error = failure(path)
                close(descriptor)
                unlink(temporary)
                throw error
            }
            written += count
        }
        if fsync(descriptor) != 0 {
            let error = failure(path)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        if close(descriptor) != 0 || rename(temporary, path) != 0 {
            let error = failure(path)
            unlink(temporary)
            throw error
        }
    }

    private static func failure(_ path: String) -> PlotError {
        .cannotWrite(path: path, reason: String(cString: strerror(errno)))
    }
}
