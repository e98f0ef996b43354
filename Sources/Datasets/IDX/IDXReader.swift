/// An n-dimensional array of unsigned bytes read from an IDX file.
///
/// `elements` is row-major: the last dimension varies fastest, as in the file.
public struct IDXArray: Equatable, Sendable {
    /// The sizes of the dimensions, outermost first (e.g. `[60000, 28, 28]`); each ≥ 1.
    public let dimensions: [Int]
    /// The product of `dimensions` bytes, in the file's order.
    public let elements: [UInt8]
}

/// Reads IDX files, the format of MNIST and Fashion-MNIST, plain or gzip-compressed.
///
/// The format (all integers big-endian):
/// ```
/// 00 00 | type code (08 = unsigned byte) | dimension count d | d × UInt32 sizes | data
/// ```
/// A file that starts with gzip's magic bytes `1f 8b` is inflated while it is read (zlib,
/// window bits 15 + 32); the extension does not matter. The reader trusts nothing it has
/// not checked: not gzip's recorded size, not the header's sizes. It refuses a header whose
/// data would exceed `maximumDataBytes` before allocating anything, reserves memory no
/// larger than the file could hold, and stops inflating one byte after the data the header
/// declares, so garbage input costs at most the limit and never crashes or hangs.
///
/// Only element type `08` (unsigned byte) is read: it is the type of every MNIST-format
/// image and label file.
public enum IDXReader {
    /// The default limit on the data size, 2 GiB: thirty times Fashion-MNIST's training
    /// images, small enough to refuse absurd headers before allocating.
    public static let defaultMaximumDataBytes = 1 << 31

    /// Reads an IDX file of unsigned bytes with `dimensionCount` dimensions.
    ///
    /// Complexity: O(file size); memory: the data once plus 64 KiB of buffers (plus zlib's
    /// 40 KiB state for gzip).
    /// - Parameters:
    ///   - path: the file, plain or gzip-compressed.
    ///   - dimensionCount: the number of dimensions the file must declare (3 for images,
    ///     1 for labels), in 1…255.
    ///   - maximumDataBytes: the largest data size accepted, in bytes.
    /// - Throws: ``DatasetError``: `.missingFile`, `.unreadableFile`, `.emptyFile`, `.badMagic`,
    ///   `.unsupportedType`, `.wrongDimensionCount`, `.dimensionsOutOfRange`, `.truncated`,
    ///   `.trailingData`, `.corruptGzip`; `.invalidArgument` for a `dimensionCount` outside
    ///   1…255.
    public static func readUnsignedBytes(
        contentsOf path: String, dimensionCount: Int,
        maximumDataBytes: Int = defaultMaximumDataBytes
    ) throws(DatasetError) -> IDXArray {
        try checkDimensionCount(dimensionCount)
        let stream = try DecodedByteStream(path: path, source: try FileByteSource(path: path))
        return try parse(stream, dimensionCount: dimensionCount, maximumDataBytes: maximumDataBytes)
    }

    /// Reads IDX bytes already in memory (plain or gzip), with the same checks as a file;
    /// `name` stands for the file in error messages.
    ///
    /// - Throws: as ``readUnsignedBytes(contentsOf:dimensionCount:maximumDataBytes:)``, except
    ///   the file-system errors.
    public static func readUnsignedBytes(
        from bytes: [UInt8], name: String, dimensionCount: Int,
        maximumDataBytes: Int = defaultMaximumDataBytes
    ) throws(DatasetError) -> IDXArray {
        try checkDimensionCount(dimensionCount)
        let stream = try DecodedByteStream(path: name, source: MemoryByteSource(bytes: bytes))
        return try parse(stream, dimensionCount: dimensionCount, maximumDataBytes: maximumDataBytes)
    }

    private static let unsignedByteTypeCode: UInt8 = 0x08
    private static let scratchBytes = 1 << 18

    private static func checkDimensionCount(_ dimensionCount: Int) throws(DatasetError) {
        guard (1...255).contains(dimensionCount) else {
            throw .invalidArgument(
                name: "dimensionCount", value: String(dimensionCount), allowed: "1…255")
        }
    }

    private static func parse(
        _ stream: DecodedByteStream, dimensionCount: Int, maximumDataBytes: Int
    ) throws(DatasetError) -> IDXArray {
        let (sizes, headerBytes) = try header(stream, dimensionCount: dimensionCount, maximumDataBytes: maximumDataBytes)
        let elements = try readData(stream, count: sizes.reduce(1, *), headerBytes: headerBytes)
        return IDXArray(dimensions: sizes, elements: elements)
    }

    /// An IDX file of unsigned bytes, its header read and checked, its data left to read
    /// front to back a part at a time (``read(into:)``), so memory stays at one part.
    struct Rows {
        let dimensions: [Int]
        private let stream: DecodedByteStream
        private let headerBytes: Int
        private var done = 0

        init(contentsOf path: String, dimensionCount: Int) throws(DatasetError) {
            try checkDimensionCount(dimensionCount)
            stream = try DecodedByteStream(path: path, source: try FileByteSource(path: path))
            (dimensions, headerBytes) = try header(stream, dimensionCount: dimensionCount, maximumDataBytes: Int.max)
        }

        /// Fills `buffer` with the next data bytes; after the last, checks nothing follows.
        /// - Throws: `.truncated` when the data ends early, `.trailingData` after it.
        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(DatasetError) {
            let count = dimensions.reduce(1, *)
            var found = 0
            while found < buffer.count {
                let step = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[found...]))
                guard step > 0 else {
                    throw .truncated(path: stream.path, expectedBytes: headerBytes + count, foundBytes: headerBytes + done + found)
                }
                found += step
            }
            done += found
            if done == count {
                var extra: UInt8 = 0
                let more = try withUnsafeMutableBytes(of: &extra) { byte throws(DatasetError) in try stream.read(into: byte) }
                guard more == 0 else { throw .trailingData(path: stream.path, expectedBytes: headerBytes + count) }
            }
        }
    }

    /// Reads and checks the magic, type, dimension count and sizes: the sizes and the header's
    /// length.
    private static func header(
        _ stream: DecodedByteStream, dimensionCount: Int, maximumDataBytes: Int
    ) throws(DatasetError) -> (sizes: [Int], headerBytes: Int) {
        let path = stream.path
        let headerBytes = 4 + 4 * dimensionCount
        var header = [UInt8](repeating: 0, count: headerBytes)
        let headerFound = try readFully(stream, into: &header, range: 0..<4)
        if (headerFound >= 1 && header[0] != 0) || (headerFound >= 2 && header[1] != 0) {
            throw .badMagic(path: path, found: Array(header[..<headerFound]))
        }
        if headerFound >= 3 && header[2] != unsignedByteTypeCode {
            throw .unsupportedType(path: path, typeCode: header[2])
        }
        guard headerFound == 4 else {
            throw .truncated(path: path, expectedBytes: headerBytes, foundBytes: headerFound)
        }
        guard Int(header[3]) == dimensionCount else {
            throw .wrongDimensionCount(path: path, found: Int(header[3]), expected: dimensionCount)
        }
        let sizesFound = try readFully(stream, into: &header, range: 4..<headerBytes)
        guard sizesFound == headerBytes - 4 else {
            throw .truncated(path: path, expectedBytes: headerBytes, foundBytes: 4 + sizesFound)
        }
        let sizes = (0..<dimensionCount).map { index in
            header[4 + 4 * index..<8 + 4 * index].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        let dataBytes = try dataSize(sizes, path: path, maximumDataBytes: maximumDataBytes)
        let totalBytes = headerBytes + dataBytes
        if let exactSize = stream.exactDecodedSize {
            if exactSize < totalBytes {
                throw .truncated(path: path, expectedBytes: totalBytes, foundBytes: exactSize)
            }
            if exactSize > totalBytes { throw .trailingData(path: path, expectedBytes: totalBytes) }
        }
        return (sizes.map { Int($0) }, headerBytes)
    }

    /// The product of the sizes, refused when a size is zero or the product overflows or
    /// exceeds the limit.
    private static func dataSize(
        _ sizes: [UInt32], path: String, maximumDataBytes: Int
    ) throws(DatasetError) -> Int {
        var product = 1
        for size in sizes {
            let (next, overflow) = product.multipliedReportingOverflow(by: Int(size))
            guard size > 0, !overflow, next <= maximumDataBytes else {
                throw .dimensionsOutOfRange(
                    path: path, dimensions: sizes, maximumDataBytes: maximumDataBytes)
            }
            product = next
        }
        return product
    }

    /// Reads the data and checks that nothing follows it.
    private static func readData(
        _ stream: DecodedByteStream, count: Int, headerBytes: Int
    ) throws(DatasetError) -> [UInt8] {
        var elements: [UInt8] = []
        // Never reserve more than the raw file could decode to: a lying header costs nothing.
        let plausible = stream.decodedSizeBound.map { max(0, $0 - headerBytes) } ?? scratchBytes
        elements.reserveCapacity(min(count, plausible))
        var scratch = [UInt8](repeating: 0, count: min(scratchBytes, count + 1))
        while elements.count < count {
            let wanted = min(scratch.count, count - elements.count)
            let found = try readFully(stream, into: &scratch, range: 0..<wanted)
            elements.append(contentsOf: scratch[..<found])
            guard found == wanted else {
                throw .truncated(
                    path: stream.path, expectedBytes: headerBytes + count,
                    foundBytes: headerBytes + elements.count)
            }
        }
        guard try readFully(stream, into: &scratch, range: 0..<1) == 0 else {
            throw .trailingData(path: stream.path, expectedBytes: headerBytes + count)
        }
        return elements
    }

    /// Fills `buffer[range]` from the stream; returns how many bytes it got (fewer only at
    /// the end of the stream).
    private static func readFully(
        _ stream: DecodedByteStream, into buffer: inout [UInt8], range: Range<Int>
    ) throws(DatasetError) -> Int {
        try buffer.withMutableBytes { bytes throws(DatasetError) in
            try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[range]))
        }
    }
}
