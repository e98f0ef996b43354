/// Mean and spread of one figure over the seeds of a configuration.
public struct SeedSpread: Codable, Equatable, Sendable {
    /// The arithmetic mean.
    public let mean: Double
    /// The sample standard deviation (n − 1 in the denominator); 0 for one value.
    public let standardDeviation: Double
    /// The smallest and largest value.
    public let minimum: Double, maximum: Double
    /// How many values (seeds).
    public let count: Int

    /// The summary of `values`.
    /// - Precondition: `values` is not empty and every value is finite (JSON has no NaN).
    public init(_ values: [Double]) {
        precondition(!values.isEmpty && values.allSatisfy(\.isFinite), "SeedSpread: empty or non-finite values")
        count = values.count
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        self.mean = mean
        standardDeviation = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : 0
        minimum = values.min()!
        maximum = values.max()!
    }

    private enum CodingKeys: String, CodingKey {
        case mean, standardDeviation = "std", minimum = "min", maximum = "max", count
    }
}
