import Activations
import Runtime

#if canImport(Glibc)
import Glibc
#endif

extension MemoryBudget {
    /// Refuses to read `path` whole into memory when it is larger than the memory
    /// available (a sparse file can claim any size); a missing or unreadable file passes,
    /// for the reader to name its problem.
    package static func requireToRead(_ path: String) throws(MemoryError) {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return }
        try require(Int(status.st_size), for: "\(path): a file of \(text(bytes: Int(status.st_size)))")
    }
}
