extension SafeTensors.Tensor {
    /// The values as `Float`: exact from `F32`, `F16` and `BF16`; rounded to nearest even
    /// from `F64`. O(n).
    ///
    /// - Throws: ``SafeTensorsError/unsupportedConversion(from:to:)`` for an integer dtype.
    public func floats() throws(SafeTensorsError) -> [Float] {
        switch dtype {
        case .float32: decode(width: 4) { Float(bitPattern: $0 as UInt32) }
        case .float64: decode(width: 8) { Float(Double(bitPattern: $0 as UInt64)) }
        case .float16: decode(width: 2) { HalfPrecision.float(fromFloat16: $0 as UInt16) }
        case .bfloat16: decode(width: 2) { HalfPrecision.float(fromBFloat16: $0 as UInt16) }
        default: throw .unsupportedConversion(from: dtype, to: "[Float]")
        }
    }

    /// The values as `Double`, exact from every floating-point dtype. O(n).
    ///
    /// - Throws: ``SafeTensorsError/unsupportedConversion(from:to:)`` for an integer dtype.
    public func doubles() throws(SafeTensorsError) -> [Double] {
        switch dtype {
        case .float64: decode(width: 8) { Double(bitPattern: $0 as UInt64) }
        case .float32: decode(width: 4) { Double(Float(bitPattern: $0 as UInt32)) }
        case .float16: decode(width: 2) { HalfPrecision.double(fromFloat16: $0 as UInt16) }
        case .bfloat16: decode(width: 2) { Double(HalfPrecision.float(fromBFloat16: $0 as UInt16)) }
        default: throw .unsupportedConversion(from: dtype, to: "[Double]")
        }
    }

    /// The values of an `I8` tensor. - Throws: ``SafeTensorsError/unsupportedConversion(from:to:)``
    /// for any other dtype.
    public func int8s() throws(SafeTensorsError) -> [Int8] {
        guard dtype == .int8 else { throw .unsupportedConversion(from: dtype, to: "[Int8]") }
        return decode(width: 1) { Int8(bitPattern: $0 as UInt8) }
    }

    /// The values of a `U8` tensor. - Throws: ``SafeTensorsError/unsupportedConversion(from:to:)``
    /// for any other dtype.
    public func uint8s() throws(SafeTensorsError) -> [UInt8] {
        guard dtype == .uint8 else { throw .unsupportedConversion(from: dtype, to: "[UInt8]") }
        return bytes
    }

    /// The values of an `I32` tensor. - Throws: ``SafeTensorsError/unsupportedConversion(from:to:)``
    /// for any other dtype.
    public func int32s() throws(SafeTensorsError) -> [Int32] {
        guard dtype == .int32 else { throw .unsupportedConversion(from: dtype, to: "[Int32]") }
        return decode(width: 4) { Int32(bitPattern: $0 as UInt32) }
    }

    /// `element(bits)` for each little-endian `Bits` in the bytes; `width` is its byte count.
    @inline(__always)
    private func decode<Bits: FixedWidthInteger, Element>(
        width: Int, _ element: (Bits) -> Element
    ) -> [Element] {
        let count = elementCount
        let start = byteRange.lowerBound
        guard count > 0 else { return [] }  // never write into the shared empty storage
        return storage.withUnsafeBytes { whole in
            [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
                guard let source = whole.baseAddress.map({ $0 + start }),
                    let destination = buffer.baseAddress
                else {
                    return
                }
                for index in 0..<count {
                    let bits = source.loadUnaligned(fromByteOffset: index &* width, as: Bits.self)
                    (destination + index).initialize(to: element(Bits(littleEndian: bits)))
                }
                initialized = count
            }
        }
    }
}
