// libFuzzer harness for the IDX reader, plain and gzip; not built by SwiftPM. Run from the
// repo root:
//
//   make fuzz-idx FUZZ_RUNS=1000000
//
// which builds Datasets and its dependencies with coverage and AddressSanitizer (SwiftPM,
// scratch path .build-fuzz), links this file against their objects and zlib, and runs it
// on the seeds in Fuzz/Seeds/idx (plain and gzip IDX files behind their selector byte),
// 5 s per input and 1 GB of memory at most. A finding is a crash, an AddressSanitizer
// report, a timeout or an out-of-memory, saved as crash-*/timeout-*/oom-*.
import CZlib
import Datasets

/// The first byte selects the dimension count (`1 + selector & 3`) and whether the harness
/// gzips the rest before reading it (`selector & 4`), so the fuzzer reaches the inflating path
/// with well-formed streams as well as with damaged ones (a body starting `1f 8b`).
///
/// Each input must be refused with a one-line `DatasetError` naming the file, or accepted
/// whole: then the dimensions and element count agree, and the array read back from its own
/// plain and gzip encodings is the same. A plain body and its gzip encoding give the same
/// outcome, error included.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDXReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let dimensionCount = Int(data[0] & 3) + 1
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let limit = 1 << 24
    let outcome = read(data[0] & 4 == 0 ? body : gzipped(body), dimensionCount, limit)
    let bodyIsPlain = !body.isEmpty && !(body.count >= 2 && body[0] == 0x1F && body[1] == 0x8B)
    if bodyIsPlain {
        let other = read(data[0] & 4 == 0 ? gzipped(body) : body, dimensionCount, limit)
        precondition(outcome == other, "plain and gzip disagree: \(outcome) vs \(other)")
    }
    switch outcome {
    case .failure(let error):
        let message = error.description
        precondition(message.hasPrefix("fuzz") && !message.contains("\n"), message)
    case .success(let array):
        precondition(array.dimensions.count == dimensionCount)
        precondition(array.dimensions.allSatisfy { $0 >= 1 })
        precondition(array.elements.count == array.dimensions.reduce(1, *))
        let encoded = plainEncoding(array)
        precondition(read(encoded, dimensionCount, limit) == outcome)
        precondition(read(gzipped(encoded), dimensionCount, limit) == outcome)
    }
    return 0
}

private func read(
    _ bytes: [UInt8], _ dimensionCount: Int, _ limit: Int
) -> Result<IDXArray, DatasetError> {
    Result { () throws(DatasetError) in
        try IDXReader.readUnsignedBytes(
            from: bytes, name: "fuzz", dimensionCount: dimensionCount, maximumDataBytes: limit)
    }
}

/// Magic `00 00`, type `08`, the dimension count, big-endian sizes, the data.
private func plainEncoding(_ array: IDXArray) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, 8, UInt8(array.dimensions.count)]
    for size in array.dimensions {
        bytes += [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: size >> $0) }
    }
    return bytes + array.elements
}

/// One gzip member (window bits 15 + 16) holding `bytes`.
private func gzipped(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    let started = deflateInit2_(
        &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
        Int32(MemoryLayout<z_stream>.size))
    precondition(started == Z_OK)
    defer { deflateEnd(&stream) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
    let status = input.withUnsafeMutableBufferPointer { source in
        output.withUnsafeMutableBufferPointer { destination in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            stream.next_out = destination.baseAddress
            stream.avail_out = UInt32(destination.count)
            return deflate(&stream, Z_FINISH)
        }
    }
    precondition(status == Z_STREAM_END)
    return Array(output[..<Int(stream.total_out)])
}
