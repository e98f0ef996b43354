extension Array where Element == UInt8 {
    /// `withUnsafeMutableBytes` for a body that throws ``DatasetError``; the standard
    /// library's version rethrows untyped errors.
    mutating func withMutableBytes<Result>(
        _ body: (UnsafeMutableRawBufferPointer) throws(DatasetError) -> Result
    ) throws(DatasetError) -> Result {
        let outcome: Swift.Result<Result, DatasetError> = withUnsafeMutableBytes { bytes in
            Swift.Result { () throws(DatasetError) in try body(bytes) }
        }
        return try outcome.get()
    }
}
