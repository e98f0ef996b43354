import CZlib

/// The bytes of a file or buffer, decompressed on the fly when it starts with gzip's magic
/// bytes `1f 8b`, and passed through unchanged otherwise.
///
/// Reading never produces more bytes than asked for, so a small compressed file that
/// inflates to gigabytes costs only what the caller reads. A gzip file may hold several
/// members one after the other (as `cat a.gz b.gz` makes); anything else after the last
/// member is an error.
final class DecodedByteStream {
    let path: String
    /// Whether the raw bytes are gzip.
    let isCompressed: Bool
    private let source: any RawByteSource
    private let inflater: GzipInflater?
    private var input: [UInt8]
    private var inputStart = 0
    private var inputEnd = 0
    private var sourceEnded = false
    private var finished = false

    private static let inputChunkBytes = 1 << 16
    /// Deflate's largest compression ratio (a run of one byte value costs about 1 bit per
    /// 258 bytes), so a gzip file of n bytes never inflates to more than 1032·n bytes.
    private static let largestDeflateRatio = 1032

    /// - Throws: ``DatasetError/emptyFile(path:)`` when there are no raw bytes, and the
    ///   source's read errors.
    init(path: String, source: any RawByteSource) throws(DatasetError) {
        self.path = path
        self.source = source
        input = [UInt8](repeating: 0, count: DecodedByteStream.inputChunkBytes)
        let (bufferedCount, startsWithGzipMagic) = try DecodedByteStream.sniff(
            source: source, input: &input)
        guard bufferedCount > 0 else { throw .emptyFile(path: path) }
        inputEnd = bufferedCount
        sourceEnded = bufferedCount < 2
        isCompressed = startsWithGzipMagic
        inflater = startsWithGzipMagic ? try GzipInflater(path: path) : nil
    }

    /// Reads the first two raw bytes (fewer only at the end of the source).
    private static func sniff(
        source: any RawByteSource, input: inout [UInt8]
    ) throws(DatasetError) -> (count: Int, isGzip: Bool) {
        var count = 0
        while count < 2 {
            let read = try input.withMutableBytes { buffer throws(DatasetError) in
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]))
            }
            if read == 0 { break }
            count += read
        }
        return (count, count >= 2 && input[0] == 0x1f && input[1] == 0x8b)
    }

    /// The exact number of decoded bytes when known without reading (uncompressed input of
    /// known size).
    var exactDecodedSize: Int? {
        isCompressed ? nil : source.knownSize
    }

    /// A number of decoded bytes that the stream cannot exceed, when the raw size is known.
    var decodedSizeBound: Int? {
        guard let rawSize = source.knownSize else { return nil }
        guard isCompressed else { return rawSize }
        let (bound, overflow) = rawSize.multipliedReportingOverflow(
            by: DecodedByteStream.largestDeflateRatio)
        return overflow ? Int.max : bound
    }

    /// Reads up to `output.count` decoded bytes and returns how many; fewer only at the end.
    ///
    /// - Throws: ``DatasetError/corruptGzip(path:reason:)`` for a damaged or cut-short
    ///   compressed stream or bytes after its end, and the source's read errors.
    func read(into output: UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int {
        var produced = 0
        while produced < output.count {
            let step = try readOnce(
                into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]))
            if step == 0 { break }
            produced += step
        }
        return produced
    }

    private func readOnce(into output: UnsafeMutableRawBufferPointer) throws(DatasetError) -> Int {
        if let inflater { return try inflate(into: output, with: inflater) }
        if inputStart < inputEnd {
            let count = min(output.count, inputEnd - inputStart)
            input.withUnsafeBytes { buffer in
                output.copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: buffer[inputStart..<inputStart + count]))
            }
            inputStart += count
            return count
        }
        guard !sourceEnded else { return 0 }
        let count = try source.read(into: output)
        sourceEnded = count == 0
        return count
    }

    private func inflate(
        into output: UnsafeMutableRawBufferPointer, with inflater: GzipInflater
    ) throws(DatasetError) -> Int {
        guard !finished else { return 0 }
        let limitedOutput = UnsafeMutableRawBufferPointer(
            rebasing: output[..<min(output.count, Int(UInt32.max))])
        while true {
            if inputStart == inputEnd { try refill(keeping: 0) }
            let step = input.withUnsafeBytes { buffer in
                inflater.inflate(
                    input: UnsafeRawBufferPointer(rebasing: buffer[inputStart..<inputEnd]),
                    output: limitedOutput)
            }
            inputStart += step.consumed
            switch step.status {
            case Z_OK:
                if step.produced > 0 { return step.produced }
            case Z_STREAM_END:
                try endMember(inflater)
                if step.produced > 0 || finished { return step.produced }
            case Z_BUF_ERROR:
                // No progress with output space free: the refill above found no more input.
                throw .corruptGzip(
                    path: path, reason: "the compressed data ends before the gzip stream does")
            default:
                throw .corruptGzip(path: path, reason: inflater.explain(step.status))
            }
        }
    }

    /// After a member's end: the raw data must end too, or another member must begin.
    private func endMember(_ inflater: GzipInflater) throws(DatasetError) {
        if inputEnd - inputStart < 2 { try refill(keeping: inputEnd - inputStart) }
        let remaining = inputEnd - inputStart
        if remaining == 0 {
            finished = true
        } else if remaining >= 2 && input[inputStart] == 0x1f && input[inputStart + 1] == 0x8b {
            inflater.startNextMember()
        } else {
            throw .corruptGzip(
                path: path, reason: "unexpected bytes after the end of the gzip stream")
        }
    }

    /// Moves the last `keeping` unread bytes to the front and reads more raw bytes after them,
    /// until at least two are buffered or the source ends.
    private func refill(keeping: Int) throws(DatasetError) {
        if keeping > 0 {
            for offset in 0..<keeping { input[offset] = input[inputStart + offset] }
        }
        inputStart = 0
        inputEnd = keeping
        while !sourceEnded && inputEnd < 2 {
            let count = try input.withMutableBytes { buffer throws(DatasetError) in
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[inputEnd...]))
            }
            sourceEnded = count == 0
            inputEnd += count
        }
    }
}
