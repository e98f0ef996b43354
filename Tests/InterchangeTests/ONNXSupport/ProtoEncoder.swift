/// A protobuf message written by hand, field by field, independently of the generated code:
/// the tests build exactly the (possibly broken) ONNX models they need with it.
struct ProtoMessage {
    private(set) var bytes: [UInt8] = []

    init() {}

    init(_ build: (inout ProtoMessage) -> Void) {
        build(&self)
    }

    private mutating func key(_ field: Int, _ wireType: Int) {
        appendVarint(UInt64(field << 3 | wireType))
    }

    private mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// An `int64`, `int32` or enum field (negative values as ten-byte two's complement).
    mutating func int(_ field: Int, _ value: Int64) {
        key(field, 0)
        appendVarint(UInt64(bitPattern: value))
    }

    mutating func float(_ field: Int, _ value: Float) {
        key(field, 5)
        bytes += withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init)
    }

    mutating func bytes(_ field: Int, _ data: [UInt8]) {
        key(field, 2)
        appendVarint(UInt64(data.count))
        bytes += data
    }

    mutating func string(_ field: Int, _ text: String) {
        bytes(field, Array(text.utf8))
    }

    mutating func message(_ field: Int, _ message: ProtoMessage) {
        bytes(field, message.bytes)
    }

    /// A packed repeated `float` field.
    mutating func packedFloats(_ field: Int, _ values: [Float]) {
        bytes(field, values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
    }

    /// A packed repeated `int64` field.
    mutating func packedInts(_ field: Int, _ values: [Int64]) {
        var packed = ProtoMessage()
        for value in values { packed.appendVarint(UInt64(bitPattern: value)) }
        bytes(field, packed.bytes)
    }
}
