#if canImport(Glibc)
    import Glibc
#endif

/// A `[Float]` of `count` elements, each written once by `initialize`, asking Linux to back
/// it with transparent huge pages when it is large.
///
/// Why: a fresh buffer costs a page fault per 4 KiB on first touch. For Fashion-MNIST's
/// 188 MB of training pixels those faults took about 0.12 s here, four times the conversion
/// itself; with 2 MiB pages the whole conversion took 0.03 s. Elsewhere, or when the kernel
/// refuses, this is an ordinary array.
func makeFloatArray(
    count: Int, _ initialize: (UnsafeMutableBufferPointer<Float>) -> Void
) -> [Float] {
    // `count == 0` returns `[]`: `Array(unsafeUninitializedCapacity: 0)` writes its count, 0,
    // into the standard library's shared empty-array storage, a benign race that
    // ThreadSanitizer reports when two threads do it (docs/RELIABILITY.md, Sanitisers).
    guard count > 0 else { return [] }
    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
        initialize(buffer)
        initialized = count
    }
}

package let hugePageBytes = 2 << 20

/// `madvise(MADV_HUGEPAGE)` over the whole 2 MiB pages inside `buffer`; a hint that can be
/// refused, so its result is not checked.
package func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
    #if os(Linux)
        guard let base = buffer.baseAddress, buffer.count >= 2 * hugePageBytes else { return }
        let start = (Int(bitPattern: base) + hugePageBytes - 1) / hugePageBytes * hugePageBytes
        let end = (Int(bitPattern: base) + buffer.count) / hugePageBytes * hugePageBytes
        guard end > start, let address = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(address, end - start, MADV_HUGEPAGE)
    #endif
}

/// A `[Float]` of at most `capacity` elements, of which `fill` writes the first n and returns
/// n (huge pages as ``makeFloatArray(count:_:)``); an error thrown by `fill` is passed on.
func makeFloatArray(
    capacity: Int, _ fill: (UnsafeMutableBufferPointer<Float>) throws(DatasetError) -> Int
) throws(DatasetError) -> [Float] {
    guard capacity > 0 else { return [] }
    var failure: DatasetError?
    let array = [Float](unsafeUninitializedCapacity: capacity) { buffer, initialized in
        adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
        do throws(DatasetError) {
            initialized = try fill(buffer)
        } catch {
            failure = error
            initialized = 0
        }
    }
    if let failure { throw failure }
    return array
}
