import CZlib

/// One zlib inflate state that reads gzip members.
///
/// Window bits `15 + 32`: the largest window (32 KiB), with the zlib or gzip header detected
/// automatically. zlib checks each member's CRC-32 and length trailer itself; a mismatch is a
/// `Z_DATA_ERROR`.
final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>

    /// - Parameter windowBits: zlib's window bits: 15 + 32 (the default) reads zlib or gzip
    ///   streams, −15 raw deflate (zip entries).
    /// - Throws: ``DatasetError/corruptGzip(path:reason:)`` when zlib cannot start (out of memory).
    init(path: String, windowBits: Int32 = 15 + 32) throws(DatasetError) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(
            stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw .corruptGzip(
                path: path, reason: "zlib could not start inflating: status \(status)")
        }
        self.stream = stream
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// The outcome of one call to zlib's `inflate`.
    struct Step {
        var consumed: Int
        var produced: Int
        /// zlib's status: `Z_OK`, `Z_STREAM_END` (a member ended), `Z_BUF_ERROR` (no progress
        /// possible with this input and output), or an error.
        var status: Int32
    }

    /// Inflates as much of `input` into `output` as one call allows.
    /// Both buffers must hold at most `UInt32.max` bytes.
    func inflate(
        input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer
    ) -> Step {
        // zlib never writes through next_in; its type lacks const only for old compilers.
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(input.count)
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(output.count)
        let status = CZlib.inflate(stream, Z_NO_FLUSH)
        let step = Step(
            consumed: input.count - Int(stream.pointee.avail_in),
            produced: output.count - Int(stream.pointee.avail_out),
            status: status)
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        return step
    }

    /// Prepares for the next gzip member of a multi-member file.
    func startNextMember() {
        inflateReset(stream)
    }

    /// zlib's description of the last error, or the status number.
    func explain(_ status: Int32) -> String {
        if let message = stream.pointee.msg { return String(cString: message) }
        return "zlib status \(status)"
    }
}
