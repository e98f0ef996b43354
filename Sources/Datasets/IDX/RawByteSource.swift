import Runtime

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stream of raw (possibly compressed) bytes: a file or a buffer in memory.
protocol RawByteSource: AnyObject {
    /// The number of raw bytes, when known before reading (a regular file, a buffer).
    var knownSize: Int? { get }
    /// Reads up to `buffer.count` bytes into `buffer` and returns how many; 0 only at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int
}

/// A file opened read-only; closed when the source goes away.
final class FileByteSource: RawByteSource {
    let knownSize: Int?
    let path: String
    private let descriptor: Int32

    /// - Throws: ``DatasetError/missingFile(path:)`` or ``DatasetError/unreadableFile(path:reason:)``
    ///   (no permission, a directory, an I/O error).
    init(path: String) throws(DatasetError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .missingFile(path: path) }
            throw .unreadableFile(path: path, reason: systemMessage(code))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw .unreadableFile(path: path, reason: systemMessage(code))
        }
        let kind = status.st_mode & S_IFMT
        guard kind != S_IFDIR else {
            close(descriptor)
            throw .unreadableFile(path: path, reason: "it is a directory")
        }
        self.path = path
        self.descriptor = descriptor
        knownSize = kind == S_IFREG ? Int(status.st_size) : nil
    }

    deinit {
        close(descriptor)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int {
        while true {
            let count = readFromDescriptor(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            let code = errno
            guard code == EINTR else {
                throw .unreadableFile(path: path, reason: systemMessage(code))
            }
        }
    }
}

extension FileByteSource {
    /// Fills `buffer` from the bytes at `offset` (`pread`, repeated until full).
    /// - Throws: ``DatasetError/truncated(path:expectedBytes:foundBytes:)`` when the file ends
    ///   first; `.unreadableFile` on an I/O error.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(DatasetError) {
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if count > 0 {
                done += count
            } else if count == 0 {
                throw .truncated(path: path, expectedBytes: offset + buffer.count, foundBytes: offset + done)
            } else if errno != EINTR {
                throw .unreadableFile(path: path, reason: systemMessage(errno))
            }
        }
    }

    /// The whole file followed by `padding` (a byte that ends every scan, e.g. a newline), in
    /// one read into huge pages (``makeFloatArray(count:_:)`` says why), with the memory
    /// checked first.
    static func contents(of path: String, padding: UInt8) throws(DatasetError) -> [UInt8] {
        let file = try FileByteSource(path: path)
        guard let size = file.knownSize else {
            throw .unreadableFile(path: path, reason: "not a regular file")
        }
        try requireMemory(size + 1, for: "\(path): reading \(size) bytes")
        var failure: DatasetError?
        let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            do throws(DatasetError) {
                try file.read(at: 0, into: UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[..<size])))
            } catch {
                failure = error
            }
            buffer[size] = padding
            count = size + 1
        }
        if let failure { throw failure }
        return bytes
    }
}

/// Bytes already in memory, read front to back.
final class MemoryByteSource: RawByteSource {
    private let bytes: [UInt8]
    private var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var knownSize: Int? { bytes.count }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, bytes.count - position)
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(
                from: UnsafeRawBufferPointer(rebasing: source[position..<position + count]))
        }
        position += count
        return count
    }
}

/// `read(2)`, named so that it does not clash with ``RawByteSource/read(into:)``.
private func readFromDescriptor(
    _ descriptor: Int32, _ address: UnsafeMutableRawPointer?, _ count: Int
) -> Int {
    #if canImport(Glibc)
        Glibc.read(descriptor, address, count)
    #else
        Darwin.read(descriptor, address, count)
    #endif
}
