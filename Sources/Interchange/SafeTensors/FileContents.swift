import Runtime

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a whole regular file into one array, with one `read` call per chunk the kernel
/// hands back (usually one) and no zero-filling first: the safetensors and ONNX readers, and
/// the plain read `rectifier bench data` compares the data readers with.
package enum FileContents {
    /// - Throws: ``SafeTensorsError/cannotOpen(file:errno:)``,
    ///   ``SafeTensorsError/notRegularFile(file:)`` (a directory, a device such as
    ///   `/dev/zero` that would never end, a pipe), ``SafeTensorsError/readFailed(file:errno:)``.
    package static func read(_ path: String) throws(SafeTensorsError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(file: path, errno: errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .readFailed(file: path, errno: errno) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .notRegularFile(file: path) }
        let size = Int(status.st_size)
        guard size > 0 else { return [] }  // never write into the shared empty storage
        var failure: Int32?
        let contents = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            while initialized < size {
                let count = readSome(
                    descriptor, buffer.baseAddress! + initialized, size - initialized)
                if count > 0 {
                    initialized += count
                } else if count == 0 {
                    return
                } else if errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        if let failure { throw .readFailed(file: path, errno: failure) }
        return contents
    }
}
