import Activations

extension UnsafeBufferPointer where Element: ActivationScalar {
    /// The index of the first element that is NaN or ±∞, if any. O(count).
    ///
    /// x − x is 0 for finite x and NaN otherwise, so summing it over a chunk in eight lanes
    /// (plain vector adds; a generic `SIMDMask` comparison would not vectorise) tells
    /// whether the chunk holds a bad value; only that chunk is then searched element by
    /// element.
    @_specialize(where Element == Float)
    @_specialize(where Element == Double)
    public func firstNonFiniteIndex() -> Int? {
        guard let base = baseAddress else { return nil }
        typealias Lanes = SIMD8<Element>
        let chunk = 4096
        var start = 0
        while start + chunk <= count {
            var sum = Lanes()
            var index = start
            while index < start + chunk {
                let block = UnsafeRawPointer(base + index).loadUnaligned(as: Lanes.self)
                sum += block - block
                index += Lanes.scalarCount
            }
            if !(0..<Lanes.scalarCount).allSatisfy({ sum[$0] == 0 }) { break }
            start += chunk
        }
        return self[start...].firstIndex { !$0.isFinite }
    }
}
