extension SafeTensors {
    /// The element type of a stored tensor, spelled as in the header (`"F32"`, `"BF16"`, …).
    ///
    /// Values are stored little-endian. The floating-point types convert to and from `Float`
    /// and `Double` (see ``Tensor``); the integer types are read and written as they are.
    /// The 8-bit float formats (`F8_E4M3`, …), `F4`, `F6` and `C64` are not supported: reading
    /// them throws ``SafeTensorsError/unsupportedDType(file:tensor:dtype:)``.
    public enum DType: String, CaseIterable, Sendable {
        case float64 = "F64"
        case float32 = "F32"
        case float16 = "F16"
        case bfloat16 = "BF16"
        case int64 = "I64"
        case int32 = "I32"
        case int16 = "I16"
        case int8 = "I8"
        case uint64 = "U64"
        case uint32 = "U32"
        case uint16 = "U16"
        case uint8 = "U8"
        case bool = "BOOL"

        /// Bytes per element: 8, 4, 2 or 1.
        public var byteCount: Int {
            switch self {
            case .float64, .int64, .uint64: 8
            case .float32, .int32, .uint32: 4
            case .float16, .bfloat16, .int16, .uint16: 2
            case .int8, .uint8, .bool: 1
            }
        }

        /// Whether the type is one of the four floating-point formats.
        public var isFloatingPoint: Bool {
            switch self {
            case .float64, .float32, .float16, .bfloat16: true
            default: false
            }
        }

        /// Ranks in the order of the reference library's `Dtype` enumeration (increasing
        /// alignment). Its writer stores tensors by decreasing rank, then by name, so every
        /// tensor is aligned to its element size; ours does the same so that identical
        /// content gives identical bytes.
        var referenceRank: Int {
            switch self {
            case .bool: 0
            case .uint8: 1
            case .int8: 2
            case .int16: 5
            case .uint16: 6
            case .float16: 7
            case .bfloat16: 8
            case .int32: 9
            case .uint32: 10
            case .float32: 11
            case .float64: 12
            case .int64: 13
            case .uint64: 14
            }
        }

        /// The spellings, for error messages: `F64, F32, F16, …`.
        static var spellings: String {
            allCases.map(\.rawValue).joined(separator: ", ")
        }
    }
}
