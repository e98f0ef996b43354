import Interchange

/// A safetensors file put together by hand: the 8-byte length (the header's own unless
/// `declaredLength` is given), the header text, then `buffer`.
func rawFile(header: String, buffer: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
    let text = Array(header.utf8)
    let length = declaredLength ?? UInt64(text.count)
    return withUnsafeBytes(of: length.littleEndian, Array.init) + text + buffer
}

/// The little-endian bytes of some floats.
func float32Bytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
}

/// The error thrown when reading `bytes`, or nil if they read.
func readError(_ bytes: [UInt8]) -> SafeTensorsError? {
    do {
        _ = try SafeTensors(serialized: bytes, source: "test.safetensors")
        return nil
    } catch {
        return error
    }
}
