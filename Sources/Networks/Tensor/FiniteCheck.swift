import Activations

extension UnsafeBufferPointer where Element: ActivationScalar {
    /// The index of the first element that is NaN or ±∞, if any. Scans eight lanes at a
    /// time (x − x is 0 for finite x and NaN otherwise), then finds the index in the block
    /// that failed. O(count).
    @_specialize(where Element == Float)
    @_specialize(where Element == Double)
    public func firstNonFiniteIndex() -> Int? {
        guard let base = baseAddress else { return nil }
        typealias Lanes = SIMD8<Element>
        var start = 0
        while start + Lanes.scalarCount <= count {
            let block = UnsafeRawPointer(base + start).loadUnaligned(as: Lanes.self)
            if any((block - block) .!= Lanes()) { break }
            start += Lanes.scalarCount
        }
        return self[start...].firstIndex { !$0.isFinite }
    }
}
