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

extension SafeTensors {
    /// The safetensors file at `path`, read once ``MemoryBudget/requireToRead(_:)`` lets it
    /// be; each kind of failure reaches the caller through its own wrapper.
    package static func read<Failure: Error>(
        budgeted path: String, memory: (MemoryError) -> Failure, file: (SafeTensorsError) -> Failure
    ) throws(Failure) -> SafeTensors {
        do { try MemoryBudget.requireToRead(path) } catch { throw memory(error) }
        do { return try SafeTensors(contentsOf: path) } catch { throw file(error) }
    }
}
