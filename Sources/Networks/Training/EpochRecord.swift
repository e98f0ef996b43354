/// One number about one layer, e.g. `("layers.1", 0.03)`.
public struct LayerStatistic: Codable, Equatable, Sendable {
    /// The layer's name, `layers.i`.
    public let layer: String
    /// The number (a fraction or a norm, as the field holding it says).
    public let value: Double

    /// A statistic for layer `layer`.
    public init(layer: String, value: Double) {
        self.layer = layer
        self.value = value
    }
}

/// The distribution of a PReLU layer's learned slopes: summary statistics and the values
/// themselves (ready for a histogram).
public struct SlopeSummary: Codable, Equatable, Sendable {
    /// The layer's name, `layers.i`.
    public let layer: String
    /// The smallest, largest and mean slope.
    public let minimum: Double, maximum: Double, mean: Double
    /// The population standard deviation.
    public let standardDeviation: Double
    /// The 5th, 25th, 50th, 75th and 95th percentiles (linear interpolation, as NumPy).
    public let percentiles: [Double]
    /// Every slope, in unit order.
    public let values: [Double]

    init(layer: String, values: [Double]) {
        let sorted = values.sorted()
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        self.layer = layer
        minimum = sorted.first!
        maximum = sorted.last!
        self.mean = mean
        standardDeviation = variance.squareRoot()
        percentiles = [0.05, 0.25, 0.5, 0.75, 0.95].map { fraction in
            let position = fraction * Double(sorted.count - 1)
            let lower = Int(position), upper = Swift.min(lower + 1, sorted.count - 1)
            return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
        }
        self.values = values
    }

    private enum CodingKeys: String, CodingKey {
        case layer, minimum = "min", maximum = "max", mean
        case standardDeviation = "std", percentiles, values
    }
}

/// What one epoch did. JSON keys are snake_case (`train_loss`, `validation_accuracy`, …),
/// so a log line is this record encoded.
public struct EpochRecord: Codable, Equatable, Sendable {
    /// The epoch, counted from 1.
    public let epoch: Int
    /// The mean training loss over the epoch's batches (as they were seen, while learning).
    public let trainLoss: Double
    /// The fraction of training samples classified correctly during the epoch (nil for
    /// regression targets).
    public let trainAccuracy: Double?
    /// The mean loss on the validation set after the epoch (nil without one).
    public let validationLoss: Double?
    /// The validation accuracy after the epoch (nil without a validation set or labels).
    public let validationAccuracy: Double?
    /// Wall time of the epoch's training steps, in seconds (metrics excluded).
    public let seconds: Double
    /// The learning rate of the epoch's last step.
    public let learningRate: Double
    /// Per activation or PReLU layer: the fraction of units whose output is exactly zero for
    /// every probe sample.
    public let deadUnitFractions: [LayerStatistic]
    /// Per Dense or PReLU layer: the L2 norm of its parameters' gradient on the probe batch.
    public let gradientNorms: [LayerStatistic]
    /// Per PReLU layer: its slopes.
    public let slopes: [SlopeSummary]

    private enum CodingKeys: String, CodingKey {
        case epoch
        case trainLoss = "train_loss"
        case trainAccuracy = "train_accuracy"
        case validationLoss = "validation_loss"
        case validationAccuracy = "validation_accuracy"
        case seconds
        case learningRate = "learning_rate"
        case deadUnitFractions = "dead_unit_fractions"
        case gradientNorms = "gradient_norms"
        case slopes
    }
}
