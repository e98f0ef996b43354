/// A row-major `rows × columns` view of memory someone else owns: a layer's weights inside
/// the flat parameter buffer, a workspace, or a batch. Kernels take views so they run with
/// no allocation and no copy.
///
/// Element (r, c) is at `base[r * columns + c]`. The view does not keep its memory alive.
public struct MatrixBuffer<Scalar>: @unchecked Sendable {
    /// The first element.
    public let base: UnsafeMutablePointer<Scalar>
    /// The number of rows.
    public let rows: Int
    /// The number of columns (also the row stride).
    public let columns: Int

    /// A view of `rows × columns` elements starting at `base`.
    @inlinable
    public init(_ base: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int) {
        self.base = base
        self.rows = rows
        self.columns = columns
    }

    /// `rows * columns`.
    @inlinable
    public var count: Int { rows * columns }

    /// The elements as one buffer.
    @inlinable
    public var buffer: UnsafeMutableBufferPointer<Scalar> {
        UnsafeMutableBufferPointer(start: base, count: count)
    }

    /// The first `rows` rows (a batch smaller than the workspace's capacity).
    @inlinable
    public func prefix(rows: Int) -> MatrixBuffer {
        MatrixBuffer(base, rows: rows, columns: columns)
    }

    /// The element in row `row`, column `column`.
    @inlinable
    public subscript(row: Int, column: Int) -> Scalar {
        get { base[row * columns + column] }
        nonmutating set { base[row * columns + column] = newValue }
    }
}

/// Memory for `count` scalars, aligned to 64 bytes (a cache line, an AVX-512 vector), zeroed,
/// freed with its owner. Parameters, gradients, optimiser moments and workspaces live in these.
final class AlignedStorage<Scalar> {
    let buffer: UnsafeMutableBufferPointer<Scalar>

    init(count: Int, zeroed: Bool = true) {
        let bytes = Swift.max(1, count) * MemoryLayout<Scalar>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        if zeroed { raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes) }
        buffer = UnsafeMutableBufferPointer(
            start: raw.bindMemory(to: Scalar.self, capacity: Swift.max(1, count)), count: count)
    }

    var base: UnsafeMutablePointer<Scalar> { buffer.baseAddress! }

    deinit {
        UnsafeMutableRawPointer(buffer.baseAddress!).deallocate()
    }
}
