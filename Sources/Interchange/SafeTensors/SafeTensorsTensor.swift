import Runtime

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SafeTensors {
    /// One stored tensor: its element type, its shape and its raw bytes (little-endian,
    /// row-major, as in the file).
    ///
    /// A tensor read from a file shares the file's single buffer (no copy per tensor), so
    /// keeping any one tensor keeps that buffer alive.
    public struct Tensor: Equatable, Sendable {
        /// The element type.
        public let dtype: DType
        /// The size of each dimension, outermost first; `[]` is a scalar.
        public let shape: [Int]
        /// The product of `shape`: 1 for a scalar, 0 when a dimension is 0.
        public let elementCount: Int
        let storage: [UInt8]
        let byteRange: Range<Int>

        /// The byte count, `elementCount × dtype.byteCount`.
        public var byteCount: Int { byteRange.count }

        /// A copy of the raw bytes. O(n); ``withUnsafeBytes(_:)`` reads them in place.
        public var bytes: [UInt8] { Array(storage[byteRange]) }

        /// Calls `body` with the raw bytes, in place.
        public func withUnsafeBytes<Result>(
            _ body: (UnsafeRawBufferPointer) throws -> Result
        ) rethrows -> Result {
            try storage.withUnsafeBytes { whole in
                try body(UnsafeRawBufferPointer(rebasing: whole[byteRange]))
            }
        }

        /// A tensor from raw little-endian bytes.
        ///
        /// - Throws: ``SafeTensorsError/invalidShape(shape:)`` for a negative entry or a size
        ///   that overflows `Int`; ``SafeTensorsError/sizeMismatch(dtype:shape:expectedBytes:actualBytes:)``
        ///   when `bytes.count ≠ elementCount × dtype.byteCount`.
        public init(dtype: DType, shape: [Int], bytes: [UInt8]) throws(SafeTensorsError) {
            let count = try Self.checkedCount(shape, dtype: dtype, byteCount: bytes.count)
            self.init(
                dtype: dtype, shape: shape, elementCount: count, storage: bytes,
                byteRange: bytes.indices)
        }

        /// A tensor of `values` stored as `dtype`: `.float32` (exact), `.float64` (exact),
        /// `.float16` or `.bfloat16` (rounded to nearest, ties to even).
        ///
        /// - Parameter shape: defaults to `[values.count]`.
        /// - Throws: ``SafeTensorsError/unsupportedConversion(from:to:)`` for a non-float
        ///   dtype; the shape errors of ``init(dtype:shape:bytes:)``.
        public init(_ values: [Float], shape: [Int]? = nil, as dtype: DType = .float32)
            throws(SafeTensorsError)
        {
            let bytes: [UInt8]
            switch dtype {
            case .float32: bytes = Self.encode(values, width: 4) { $0.bitPattern }
            case .float64: bytes = Self.encode(values, width: 8) { Double($0).bitPattern }
            case .float16: bytes = Self.encode(values, width: 2) { HalfPrecision.float16($0) }
            case .bfloat16: bytes = Self.encode(values, width: 2) { HalfPrecision.bfloat16($0) }
            default: throw .unsupportedConversion(from: dtype, to: "[Float]")
            }
            try self.init(dtype: dtype, shape: shape ?? [values.count], bytes: bytes)
        }

        /// A tensor of `values` stored as `dtype`: `.float64` (exact), or `.float32`,
        /// `.float16`, `.bfloat16` (each rounded once, to nearest, ties to even).
        ///
        /// - Parameter shape: defaults to `[values.count]`.
        /// - Throws: as the `[Float]` initializer.
        public init(_ values: [Double], shape: [Int]? = nil, as dtype: DType = .float64)
            throws(SafeTensorsError)
        {
            let bytes: [UInt8]
            switch dtype {
            case .float64: bytes = Self.encode(values, width: 8) { $0.bitPattern }
            case .float32: bytes = Self.encode(values, width: 4) { Float($0).bitPattern }
            case .float16: bytes = Self.encode(values, width: 2) { HalfPrecision.float16($0) }
            case .bfloat16: bytes = Self.encode(values, width: 2) { HalfPrecision.bfloat16($0) }
            default: throw .unsupportedConversion(from: dtype, to: "[Double]")
            }
            try self.init(dtype: dtype, shape: shape ?? [values.count], bytes: bytes)
        }

        /// An `I8` tensor. - Throws: the shape errors of ``init(dtype:shape:bytes:)``.
        public init(_ values: [Int8], shape: [Int]? = nil) throws(SafeTensorsError) {
            let bytes = values.map { UInt8(bitPattern: $0) }
            try self.init(dtype: .int8, shape: shape ?? [values.count], bytes: bytes)
        }

        /// A `U8` tensor. - Throws: the shape errors of ``init(dtype:shape:bytes:)``.
        public init(_ values: [UInt8], shape: [Int]? = nil) throws(SafeTensorsError) {
            try self.init(dtype: .uint8, shape: shape ?? [values.count], bytes: values)
        }

        /// An `I32` tensor. - Throws: the shape errors of ``init(dtype:shape:bytes:)``.
        public init(_ values: [Int32], shape: [Int]? = nil) throws(SafeTensorsError) {
            let bytes = Self.encode(values, width: 4) { UInt32(bitPattern: $0) }
            try self.init(dtype: .int32, shape: shape ?? [values.count], bytes: bytes)
        }

        init(dtype: DType, shape: [Int], elementCount: Int, storage: [UInt8], byteRange: Range<Int>) {
            self.dtype = dtype
            self.shape = shape
            self.elementCount = elementCount
            self.storage = storage
            self.byteRange = byteRange
        }

        public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
            guard lhs.dtype == rhs.dtype, lhs.shape == rhs.shape else { return false }
            return lhs.withUnsafeBytes { left in
                rhs.withUnsafeBytes { right in
                    left.count == 0 || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0
                }
            }
        }

        /// The element count of `shape`, or nil when an entry is negative or the byte count
        /// overflows `Int`. Multiplies left to right, as the reference library.
        static func elementCount(of shape: [Int], dtype: DType) -> Int? {
            guard let count = MemoryBudget.product(shape), MemoryBudget.product(count, dtype.byteCount) != nil else { return nil }
            return count
        }

        private static func checkedCount(_ shape: [Int], dtype: DType, byteCount: Int)
            throws(SafeTensorsError) -> Int
        {
            guard let count = elementCount(of: shape, dtype: dtype) else {
                throw .invalidShape(shape: shape)
            }
            guard count * dtype.byteCount == byteCount else {
                throw .sizeMismatch(
                    dtype: dtype, shape: shape, expectedBytes: count * dtype.byteCount,
                    actualBytes: byteCount)
            }
            return count
        }

        /// The little-endian bytes of `bits(value)` for each value; `width` is its byte count.
        private static func encode<Element, Bits: FixedWidthInteger>(
            _ values: [Element], width: Int, _ bits: (Element) -> Bits
        ) -> [UInt8] {
            // `[]` when empty: `Array(unsafeUninitializedCapacity: 0)` writes its count, 0, into
            // the standard library's shared empty-array storage, a benign race that
            // ThreadSanitizer reports when two threads do it (docs/RELIABILITY.md).
            guard !values.isEmpty else { return [] }
            return [UInt8](unsafeUninitializedCapacity: values.count * width) { buffer, initialized in
                guard let base = buffer.baseAddress else { return }
                for (index, value) in values.enumerated() {
                    UnsafeMutableRawPointer(base + index * width)
                        .storeBytes(of: bits(value).littleEndian, as: Bits.self)
                }
                initialized = values.count * width
            }
        }
    }
}
