import Activations

/// A row-major matrix of `Float` or `Double` with value semantics.
///
/// Element (r, c) lives at `scalars[r * columns + c]`. Storage is one contiguous array, so
/// a matrix of samples is also the flat buffer a data loader fills and BLAS reads.
///
/// ```swift
/// var x = Matrix<Float>(rows: 2, columns: 3)
/// x[1, 2] = 5
/// let y = try Matrix<Float>(rows: 2, columns: 2, scalars: [1, 2, 3, 4])
/// ```
public struct Matrix<Scalar: ActivationScalar>: Equatable, Sendable {
    /// The number of rows (samples, for a data matrix), ≥ 0.
    public let rows: Int
    /// The number of columns (features), ≥ 0.
    public let columns: Int
    /// The elements, row after row; `rows * columns` of them.
    public private(set) var scalars: [Scalar]

    /// A `rows × columns` matrix of zeros.
    /// - Precondition: `rows` and `columns` are not negative.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative size \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        scalars = [Scalar](repeating: 0, count: rows * columns)
    }

    /// A matrix holding `scalars` row after row.
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` when a size is negative or
    ///   `scalars.count != rows * columns`.
    public init(rows: Int, columns: Int, scalars: [Scalar]) throws(NetworkError) {
        guard rows >= 0, columns >= 0, scalars.count == rows * columns else {
            throw .shapeMismatch(
                what: "matrix",
                detail: "\(scalars.count) values do not fill \(rows)×\(columns)")
        }
        self.rows = rows
        self.columns = columns
        self.scalars = scalars
    }

    /// A matrix from rows of equal length.
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` when the rows differ in length.
    public init(_ rowArrays: [[Scalar]]) throws(NetworkError) {
        let columns = rowArrays.first?.count ?? 0
        if let bad = rowArrays.firstIndex(where: { $0.count != columns }) {
            throw .shapeMismatch(
                what: "matrix", detail: "row \(bad) has \(rowArrays[bad].count) values, row 0 has \(columns)")
        }
        self.rows = rowArrays.count
        self.columns = columns
        self.scalars = rowArrays.flatMap { $0 }
    }

    /// A `rows × columns` matrix whose storage `body` fills; it must write every element.
    /// Use it to load data without an intermediate array.
    public init(
        rows: Int, columns: Int,
        initializingWith body: (UnsafeMutableBufferPointer<Scalar>) throws -> Void
    ) rethrows {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative size \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        guard rows * columns > 0 else {
            // Not `Array(unsafeUninitializedCapacity: 0)`: it writes its count, 0, into the
            // standard library's shared empty-array storage, a benign race that
            // ThreadSanitizer reports when two threads do it.
            try body(UnsafeMutableBufferPointer(start: nil, count: 0))
            scalars = []
            return
        }
        scalars = try [Scalar](unsafeUninitializedCapacity: rows * columns) { buffer, count in
            try body(buffer)
            count = rows * columns
        }
    }

    /// The same matrix in another precision (each element rounded to nearest).
    public init<Other: ActivationScalar>(converting other: Matrix<Other>) {
        rows = other.rows
        columns = other.columns
        scalars = other.scalars.map { Scalar($0) }
    }

    /// The element in row `row`, column `column`.
    public subscript(row: Int, column: Int) -> Scalar {
        get { scalars[row * columns + column] }
        set { scalars[row * columns + column] = newValue }
    }

    /// The elements of row `row`.
    public func row(_ row: Int) -> ArraySlice<Scalar> {
        scalars[row * columns..<(row + 1) * columns]
    }

    /// Calls `body` with the contiguous storage, read-only.
    public func withUnsafeBufferPointer<R>(
        _ body: (UnsafeBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the contiguous storage, writable (copying it first if shared).
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// Rows `range` as a new matrix (a copy).
    /// - Precondition: `range` lies within `0..<rows`.
    public func rows(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "Matrix: rows out of range")
        var copy = Matrix(rows: range.count, columns: columns)
        copy.scalars = Array(scalars[range.lowerBound * columns..<range.upperBound * columns])
        return copy
    }

    /// The index of the first element that is NaN or ±∞, if any.
    public var firstNonFiniteIndex: Int? {
        scalars.withUnsafeBufferPointer { $0.firstNonFiniteIndex() }
    }
}
