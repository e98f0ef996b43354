#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The element values of a constant `TensorProto` (an initializer or a `Constant` node's
/// value), checked against its dimensions before anything is allocated: the values come
/// either from `raw_data` (fixed-width, little-endian) or from the one typed field of the
/// data type, and their count must be the product of the dimensions.
extension Onnx_TensorProto {
    /// The dimensions, once each is ≥ 0, and their product.
    /// - Throws: ``ONNXError/invalidTensor(file:name:detail:)`` for a negative dimension, an
    ///   overflowing product, external data or a segment.
    func checkedShape(file: String) throws(ONNXError) -> (shape: [Int], count: Int) {
        if dataLocation == .external || !externalData.isEmpty {
            throw .invalidTensor(
                file: file, name: name,
                detail: "its data is in an external file, which is not supported; save the model with the weights inside")
        }
        if hasSegment {
            throw .invalidTensor(file: file, name: name, detail: "segmented tensors are not supported")
        }
        var count = 1
        for dimension in dims {
            guard dimension >= 0, let size = Int(exactly: dimension) else {
                throw .invalidTensor(file: file, name: name, detail: "dimension \(dimension) in \(dims) is negative")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw .invalidTensor(file: file, name: name, detail: "the size of \(dims) overflows a 64-bit count")
            }
            count = product
        }
        return (dims.map { Int($0) }, count)
    }

    /// The values of a `FLOAT` or `DOUBLE` tensor, widened to `Double`.
    /// - Throws: ``ONNXError/unsupportedDataType(file:name:dataType:expected:)`` when the
    ///   data type is not the precision's; ``ONNXError/invalidTensor(file:name:detail:)``
    ///   when the stored count disagrees with the shape; ``ONNXError/nonFiniteValue(file:name:index:)``.
    func floatingValues(_ precision: ONNXModel.Precision, file: String) throws(ONNXError) -> (shape: [Int], values: [Double]) {
        let expected: DataType = precision == .float32 ? .float : .double
        guard dataType == Int32(expected.rawValue) else {
            throw .unsupportedDataType(file: file, name: name, dataType: dataType, expected: "\(dataTypeName(Int32(expected.rawValue))), the model's precision")
        }
        let (shape, count) = try checkedShape(file: file)
        let values: [Double]
        if precision == .float32 {
            try checkTypedField(used: floatData.count, fieldName: "float_data", count: count, width: 4, file: file)
            values = hasRawData ? littleEndianValues(count: count) { Double(Float(bitPattern: UInt32(truncatingIfNeeded: $0))) } : floatData.map(Double.init)
        } else {
            try checkTypedField(used: doubleData.count, fieldName: "double_data", count: count, width: 8, file: file)
            values = hasRawData ? littleEndianValues(count: count) { Double(bitPattern: $0) } : doubleData
        }
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(file: file, name: name, index: index)
        }
        return (shape, values)
    }

    /// The values of an `INT64` tensor (a `Reshape` target).
    /// - Throws: as ``floatingValues(_:file:)``.
    func integerValues(file: String) throws(ONNXError) -> (shape: [Int], values: [Int64]) {
        guard dataType == Int32(DataType.int64.rawValue) else {
            throw .unsupportedDataType(file: file, name: name, dataType: dataType, expected: "INT64 (7)")
        }
        let (shape, count) = try checkedShape(file: file)
        try checkTypedField(used: int64Data.count, fieldName: "int64_data", count: count, width: 8, file: file)
        let values = hasRawData ? littleEndianValues(count: count) { Int64(bitPattern: $0) } : int64Data
        return (shape, values)
    }

    /// Exactly one place holds the values: `raw_data` with `count × width` bytes, or the
    /// typed field with `count` entries; no other typed field holds anything.
    private func checkTypedField(used: Int, fieldName: String, count: Int, width: Int, file: String) throws(ONNXError) {
        let others = [
            ("float_data", floatData.count), ("int32_data", int32Data.count), ("string_data", stringData.count),
            ("int64_data", int64Data.count), ("double_data", doubleData.count), ("uint64_data", uint64Data.count),
        ]
        if let (other, _) = others.first(where: { $0.0 != fieldName && $0.1 > 0 }) {
            throw .invalidTensor(file: file, name: name, detail: "\(other) holds values but the data type is \(dataTypeName(dataType))")
        }
        if hasRawData {
            guard used == 0 else {
                throw .invalidTensor(file: file, name: name, detail: "both raw_data and \(fieldName) hold values; one must be empty")
            }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
            guard !overflow, rawData.count == bytes else {
                throw .invalidTensor(
                    file: file, name: name,
                    detail: "raw_data has \(rawData.count) bytes but shape \(dims) needs \(overflow ? "more than 2^63" : "\(bytes)")")
            }
        } else if used != count {
            throw .invalidTensor(file: file, name: name, detail: "\(fieldName) has \(used) values but shape \(dims) needs \(count)")
        }
    }

    /// `count` little-endian words of `raw_data` (4 or 8 bytes each, from the byte count),
    /// each converted by `convert`.
    private func littleEndianValues<T>(count: Int, _ convert: (UInt64) -> T) -> [T] {
        guard count > 0 else { return [] }
        let width = rawData.count / count
        return rawData.withUnsafeBytes { bytes in
            (0..<count).map { index in
                width == 4
                    ? convert(UInt64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))))
                    : convert(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)))
            }
        }
    }
}
