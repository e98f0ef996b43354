/// Reads and checks the safetensors layout:
///
/// ```
/// [8 bytes: N, little-endian] [N bytes: JSON header] [buffer: the tensors' bytes]
/// ```
/// Every tensor must lie inside the buffer with `end − begin = elementCount × dtype size`,
/// and together the tensors must cover the buffer exactly: no overlap, no gap, nothing
/// after the last one (as the reference library requires).
enum SafeTensorsReader {
    /// The largest header accepted, 100 MB, as the reference library.
    static let headerLimit = 100_000_000

    /// The tensors and metadata of the file held in `storage`, which the tensors share.
    ///
    /// Complexity: O(header length + t log t) for t tensors; the buffer is not copied.
    static func read(_ storage: [UInt8], file: String) throws(SafeTensorsError) -> (
        tensors: [String: SafeTensors.Tensor], metadata: [String: String]
    ) {
        guard storage.count >= 8 else {
            throw .fileTooShort(file: file, byteCount: storage.count)
        }
        let headerLength = storage.withUnsafeBytes {
            UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))
        }
        guard headerLength <= UInt64(headerLimit) else {
            throw .headerTooLarge(file: file, headerLength: headerLength, limit: headerLimit)
        }
        guard headerLength <= UInt64(storage.count - 8) else {
            throw .headerBeyondFile(
                file: file, headerLength: headerLength, available: storage.count - 8)
        }
        let headerRange = 8..<(8 + Int(headerLength))
        let isUTF8 = storage.withUnsafeBufferPointer {
            String(validating: UnsafeBufferPointer(rebasing: $0[headerRange]), as: UTF8.self)
                != nil
        }
        guard isUTF8 else { throw .headerNotUTF8(file: file) }
        var parser = HeaderParser(bytes: storage, range: headerRange, file: file)
        let (entries, metadata) = try parser.parse()

        let bufferStart = headerRange.upperBound
        let bufferSize = storage.count - bufferStart
        var tensors: [String: SafeTensors.Tensor] = [:]
        tensors.reserveCapacity(entries.count)
        for entry in entries {
            let count = try checkedElementCount(entry, bufferSize: bufferSize, file: file)
            tensors[entry.name] = SafeTensors.Tensor(
                dtype: entry.dtype, shape: entry.shape, elementCount: count, storage: storage,
                byteRange: (bufferStart + entry.begin)..<(bufferStart + entry.end))
        }
        try checkCoverage(entries, bufferSize: bufferSize, file: file)
        return (tensors, metadata)
    }

    /// The entry's element count, once its size, offsets and dtype agree.
    private static func checkedElementCount(
        _ entry: HeaderEntry, bufferSize: Int, file: String
    ) throws(SafeTensorsError) -> Int {
        guard let count = SafeTensors.Tensor.elementCount(of: entry.shape, dtype: entry.dtype)
        else {
            throw .sizeOverflow(file: file, tensor: entry.name, shape: entry.shape)
        }
        guard entry.begin <= entry.end else {
            throw .reversedOffsets(
                file: file, tensor: entry.name, begin: entry.begin, end: entry.end)
        }
        guard entry.end <= bufferSize else {
            throw .offsetsOutOfRange(
                file: file, tensor: entry.name, end: entry.end, bufferSize: bufferSize)
        }
        let expected = count * entry.dtype.byteCount
        guard entry.end - entry.begin == expected else {
            throw .byteCountMismatch(
                file: file, tensor: entry.name, dtype: entry.dtype, shape: entry.shape,
                expected: expected, actual: entry.end - entry.begin)
        }
        return count
    }

    /// Walks the tensors in offset order: each must begin where the previous one ended.
    private static func checkCoverage(
        _ entries: [HeaderEntry], bufferSize: Int, file: String
    ) throws(SafeTensorsError) {
        let ordered = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        var previous: String?
        for entry in ordered {
            if entry.begin < covered, let previous {
                throw .overlappingTensors(file: file, first: previous, second: entry.name)
            }
            guard entry.begin == covered else {
                throw .gapBeforeTensor(
                    file: file, tensor: entry.name, begin: entry.begin, expectedBegin: covered)
            }
            covered = entry.end
            previous = entry.name
        }
        guard covered == bufferSize else {
            throw .trailingBytes(file: file, covered: covered, bufferSize: bufferSize)
        }
    }
}
