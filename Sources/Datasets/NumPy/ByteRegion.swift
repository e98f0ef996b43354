/// Bytes read front to back from a part of a file, as stored or inflated on the fly from raw
/// deflate data (a zip entry), with the CRC-32 of everything read checked against
/// `expectedCRC` by ``finish()``. Memory stays at one 64 KiB input chunk and zlib's window,
/// whatever the length.
final class ByteRegion {
    /// The file, or `archive: entry`, for messages.
    let name: String
    /// The bytes the region holds (inflated, for deflate data).
    let length: Int
    private(set) var position = 0
    private let file: FileByteSource
    private let start: Int
    private let expectedCRC: UInt32?
    private var crc: UInt32 = 0
    private let deflated: Deflated?

    /// The state of inflating: compressed bytes still in the file, and a chunk of them read.
    private final class Deflated {
        let inflater: GzipInflater
        let compressedLength: Int
        var consumed = 0
        var input = [UInt8](repeating: 0, count: 1 << 16)
        var inputStart = 0, inputEnd = 0
        var ended = false

        init(_ inflater: GzipInflater, compressedLength: Int) {
            (self.inflater, self.compressedLength) = (inflater, compressedLength)
        }
    }

    /// `length` bytes at `start` of `file`, as stored.
    init(name: String, file: FileByteSource, start: Int, length: Int, expectedCRC: UInt32?) {
        (self.name, self.file, self.start, self.length, self.expectedCRC, deflated) = (name, file, start, length, expectedCRC, nil)
    }

    /// The `length` bytes that the raw deflate data of `compressedLength` bytes at `start`
    /// inflates to.
    init(name: String, file: FileByteSource, start: Int, compressedLength: Int, length: Int, expectedCRC: UInt32) throws(DatasetError) {
        (self.name, self.file, self.start, self.length, self.expectedCRC) = (name, file, start, length, expectedCRC)
        deflated = Deflated(try GzipInflater(path: name, windowBits: -15), compressedLength: compressedLength)
    }

    var remaining: Int { length - position }

    /// Fills `buffer` with the next bytes.
    /// - Throws: ``DatasetError/badData(path:reason:)`` when fewer remain, or the deflate data
    ///   is corrupt or ends early.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DatasetError) {
        guard buffer.count <= remaining else {
            throw .badData(path: name, reason: "cut short: \(length) bytes where \(position + buffer.count) are needed")
        }
        if let deflated {
            var produced = 0
            while produced < buffer.count {
                produced += try inflate(deflated, into: UnsafeMutableRawBufferPointer(rebasing: buffer[produced...]))
            }
        } else {
            try file.read(at: start + position, into: buffer)
        }
        if expectedCRC != nil { crc = crc32(crc, UnsafeRawBufferPointer(buffer)) }
        position += buffer.count
    }

    /// One step of zlib into `output`: the bytes produced (≥ 1).
    private func inflate(_ state: Deflated, into output: UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int {
        while true {
            if state.inputStart == state.inputEnd, state.consumed < state.compressedLength {
                let count = min(state.input.count, state.compressedLength - state.consumed)
                try state.input.withMutableBytes { bytes throws(DatasetError) in
                    try file.read(at: start + state.consumed, into: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<count]))
                }
                (state.consumed, state.inputStart, state.inputEnd) = (state.consumed + count, 0, count)
            }
            let step = state.input.withUnsafeBytes { input in
                state.inflater.inflate(input: UnsafeRawBufferPointer(rebasing: input[state.inputStart..<state.inputEnd]), output: output)
            }
            state.inputStart += step.consumed
            if step.status == 1 { state.ended = true }  // Z_STREAM_END
            guard step.status == 0 || step.status == 1 || step.status == -5 else {  // Z_OK, Z_BUF_ERROR: no progress possible yet
                throw .badData(path: name, reason: "corrupt deflate data (\(state.inflater.explain(step.status)))")
            }
            if step.produced > 0 || output.isEmpty { return step.produced }
            let canRefill = state.inputStart == state.inputEnd && state.consumed < state.compressedLength
            if state.ended || (step.consumed == 0 && !canRefill) {
                throw .badData(path: name, reason: "the deflate data ends early (\(position) of \(length) bytes)")
            }
        }
    }

    func readBytes(_ count: Int) throws(DatasetError) -> [UInt8] {
        try requireMemory(count, for: "\(name): \(count) bytes")
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withMutableBytes { buffer throws(DatasetError) in try read(into: buffer) }
        return bytes
    }

    /// Checks that everything was read, deflate data ends where the archive says, and the
    /// CRC-32 matches.
    func finish() throws(DatasetError) {
        guard remaining == 0 else { throw .badData(path: name, reason: "\(remaining) bytes after the array's data") }
        if let deflated, !deflated.ended {
            var extra: UInt8 = 0
            let more = try? withUnsafeMutableBytes(of: &extra) { byte throws(DatasetError) in try inflate(deflated, into: byte) }
            guard more == nil, deflated.ended else {
                throw .badData(path: name, reason: more == nil ? "the deflate data does not end where the archive says" : "inflates to more than the \(length) bytes the archive declares")
            }
        }
        if let expectedCRC, expectedCRC != crc {
            throw .badData(path: name, reason: "CRC-32 mismatch (stored \(hex(expectedCRC)), computed \(hex(crc))): the archive is corrupt")
        }
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}
