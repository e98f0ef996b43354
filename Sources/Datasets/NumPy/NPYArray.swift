import Runtime

/// One NumPy array file (`.npy`, format versions 1–3): the header, then the data row-major.
///
/// Read: little-endian (or byte-order-free) `float32`, `float64`, integers, `bool`, and
/// fixed-width strings (`<U…`, `|S…`); refused with a message: Fortran order, big-endian,
/// object (pickled) and structured dtypes.
struct NPYArray {
    /// `kind` is NumPy's type character (`f`, `i`, `u`, `b`, `U`, `S`), `size` the bytes per item.
    let kind: UInt8
    let itemSize: Int
    let shape: [Int]
    let region: ByteRegion

    var elementCount: Int { shape.reduce(1, *) }
    var dtype: String { String(UnicodeScalar(kind)) + String(kind == UInt8(ascii: "U") ? itemSize / 4 : itemSize) }

    /// Reads and checks the header; the data is left for ``features()`` or ``labels()``.
    init(_ region: ByteRegion) throws(DatasetError) {
        self.region = region
        func bad(_ reason: String) -> DatasetError { .badData(path: region.name, reason: reason) }
        guard region.length >= 10 else { throw bad("not a NumPy array (\(region.length) bytes)") }
        let prefix = try region.readBytes(10)
        guard prefix[0..<6] == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] else { throw bad("not a NumPy array (no \\x93NUMPY magic)") }
        guard (1...3).contains(prefix[6]) else { throw bad("NumPy format version \(prefix[6]).\(prefix[7]) is not supported (1–3)") }
        var headerLength = Int(prefix.u16(8))
        if prefix[6] > 1 { headerLength = try Int(region.readBytes(2).u16(0)) << 16 | headerLength }
        guard headerLength <= min(region.remaining, 1 << 20) else { throw bad("the header length \(headerLength) is larger than the file") }
        let header = String(decoding: try region.readBytes(headerLength), as: UTF8.self)
        func value(_ key: String) throws(DatasetError) -> Substring {
            guard let range = header.firstRange(of: "'\(key)':") else { throw bad("the header has no '\(key)'") }
            return header[range.upperBound...].drop { $0 == " " }
        }
        let descriptor = try value("descr")
        guard let delimiter = descriptor.first, delimiter == "'" || delimiter == "\"",
            let close = descriptor.dropFirst().firstIndex(of: delimiter)
        else { throw bad("the dtype \(descriptor.prefix(20)) is structured; expected a plain numeric or string dtype") }
        let text = Array(descriptor[descriptor.index(after: descriptor.startIndex)..<close].utf8)
        guard text.count >= 3, let size = Int(String(decoding: text[2...], as: UTF8.self)), size >= 1,
            text[0] != UInt8(ascii: ">") || size == 1 || text[1] == UInt8(ascii: "S")
        else { throw bad("dtype '\(String(decoding: text, as: UTF8.self))' is not supported (big-endian, object or structured)") }
        kind = text[1]
        guard let itemSize = MemoryBudget.product(size, kind == UInt8(ascii: "U") ? 4 : 1),
            Array("fiubUS".utf8).contains(kind)
        else { throw bad("dtype '\(String(decoding: text, as: UTF8.self))' is not supported (object arrays are pickles; save fixed-width strings)") }
        self.itemSize = itemSize
        guard try value("fortran_order").hasPrefix("False") else {
            throw bad("the array is in Fortran order; save numpy.ascontiguousarray(array)")
        }
        let shapeText = try value("shape")
        guard shapeText.first == "(", let end = shapeText.firstIndex(of: ")") else { throw bad("the header's shape is not a tuple") }
        var shape: [Int] = []
        for item in shapeText[shapeText.index(after: shapeText.startIndex)..<end].split(separator: ",") {
            let trimmed = item.filter { $0 != " " }
            if trimmed.isEmpty { continue }
            guard let dimension = Int(trimmed), dimension >= 0 else { throw bad("the shape entry '\(item)' is not a size") }
            shape.append(dimension)
        }
        self.shape = shape
        guard let bytes = MemoryBudget.product(shape + [itemSize]) else { throw bad("the shape \(shape) overflows") }
        guard bytes == region.remaining else {
            throw bad("shape \(shape) of \(dtype) needs \(bytes) bytes of data; the file holds \(region.remaining)")
        }
    }

    /// The data as `Float`: `float32` read straight into the array, `float64` rounded,
    /// `uint8` exact. Non-finite values are refused.
    func features() throws(DatasetError) -> [Float] {
        try requireMemory(MemoryBudget.product(elementCount, 4), for: "\(region.name): \(elementCount) values as float32")
        let values = try makeFloatArray(capacity: elementCount) { output throws(DatasetError) in
            try read(elementCount, into: output.baseAddress, preprocessing: .none, featureCount: 1, first: 0)
            return elementCount
        }
        try region.finish()
        return values
    }

    /// The next `count` elements as ``features()`` reads them, scaled by `preprocessing` in
    /// the same pass, into `destination`; `first` is the number of the first, for messages,
    /// and the first must begin an example of `featureCount` values.
    /// - Throws: ``DatasetError/badData(path:reason:)`` for another dtype, a non-finite
    ///   value, or data cut short.
    /// - Precondition: `preprocessing.fits(featureCount:)`.
    func read(
        _ count: Int, into destination: UnsafeMutablePointer<Float>?, preprocessing: Preprocessing, featureCount: Int, first: Int
    ) throws(DatasetError) {
        guard [(UInt8(ascii: "f"), 4), (UInt8(ascii: "f"), 8), (UInt8(ascii: "u"), 1)].contains(where: { $0 == (kind, itemSize) })
        else { throw .badData(path: region.name, reason: "dtype \(dtype) is not supported for features; expected uint8, float32 or float64") }
        guard count > 0, let destination else { return }
        if itemSize == 4 {
            try region.read(into: UnsafeMutableRawBufferPointer(start: destination, count: count * 4))
            if let bad = firstNonFinite(UnsafeBufferPointer(start: destination, count: count)) {
                throw .badData(path: region.name, reason: "element \(first + bad) is \(destination[bad]); features must be finite")
            }
            if preprocessing.kind != .none {
                preprocessing.transform(destination, count: count, into: destination, featureCount: featureCount) { $0 }
            }
            return
        }
        // Whole examples of the source type at a time through a scratch buffer of about 1 MiB.
        let chunk = max(1, (1 << 20) / (featureCount * itemSize)) * featureCount
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: min(chunk, count) * itemSize, alignment: 16)
        defer { scratch.deallocate() }
        var done = 0
        while done < count {
            let n = min(chunk, count - done)
            let source = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<n * itemSize])
            try region.read(into: source)
            let output = destination + done
            if itemSize == 8 {
                let doubles = source.bindMemory(to: Double.self)
                Preprocessing.none.transform(UnsafePointer(doubles.baseAddress), count: n, into: output, featureCount: featureCount) { Float($0) }
                if let bad = firstNonFinite(UnsafeBufferPointer(start: output, count: n)) {
                    throw .badData(path: region.name, reason: "element \(first + done + bad) is \(output[bad]); features must be finite")
                }
                preprocessing.transform(output, count: n, into: output, featureCount: featureCount) { $0 }
            } else {
                let bytes = source.bindMemory(to: UInt8.self)
                preprocessing.transform(UnsafePointer(bytes.baseAddress), count: n, into: output, featureCount: featureCount) { Float($0) }
            }
            done += n
        }
    }

    /// Labels as read: integers (also integral floats), strings, or other numbers.
    enum Labels {
        case integers([Int64])
        case strings([String])
        case numbers([Double])
    }

    func labels() throws(DatasetError) -> Labels {
        let bytes = try region.readBytes(region.remaining)
        try region.finish()
        let items = (0..<elementCount).map { bytes[$0 * itemSize..<($0 + 1) * itemSize] }
        func integer(_ item: ArraySlice<UInt8>) -> UInt64 {
            item.reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }
        switch kind {
        case UInt8(ascii: "i"), UInt8(ascii: "u"), UInt8(ascii: "b"):
            let signed = kind == UInt8(ascii: "i")
            let shift = UInt64(64 - 8 * itemSize)
            return .integers(items.map { item in
                let raw = integer(item) << shift
                return signed ? Int64(bitPattern: raw) >> Int64(shift) : Int64(bitPattern: raw >> shift)
            })
        case UInt8(ascii: "f"):
            let numbers = items.map { item in
                itemSize == 4 ? Double(Float(bitPattern: UInt32(integer(item)))) : Double(bitPattern: integer(item))
            }
            if numbers.allSatisfy({ $0 == $0.rounded() && abs($0) < 0x1p62 }) { return .integers(numbers.map { Int64($0) }) }
            return .numbers(numbers)
        case UInt8(ascii: "U"):
            return .strings(items.map { item in
                var scalars = String.UnicodeScalarView()
                for index in stride(from: item.startIndex, to: item.endIndex, by: 4) {
                    let code = UInt32(item[index]) | UInt32(item[index + 1]) << 8 | UInt32(item[index + 2]) << 16 | UInt32(item[index + 3]) << 24
                    if code == 0 { break }
                    scalars.append(UnicodeScalar(code) ?? "\u{FFFD}")
                }
                return String(scalars)
            })
        default:
            return .strings(items.map { item in String(decoding: item.prefix { $0 != 0 }, as: UTF8.self) })
        }
    }
}

/// The index of the first NaN or infinity: the largest magnitude bit pattern (a vectorised
/// max) says whether there is one, and only then is the position looked for.
private func firstNonFinite(_ values: UnsafeBufferPointer<Float>) -> Int? {
    var largest: UInt32 = 0
    values.withMemoryRebound(to: UInt32.self) { bits in
        for pattern in bits { largest = max(largest, pattern & 0x7FFF_FFFF) }
    }
    return largest < 0x7F80_0000 ? nil : values.firstIndex { !$0.isFinite }
}
