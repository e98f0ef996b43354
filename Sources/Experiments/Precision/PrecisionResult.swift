/// One row of `precision.json`'s `results`: one activation in one number type, averaged over
/// the seeds (the per-seed figures are kept beside the means).
///
/// JSON keys (scripts depend on them): `activation`, `type` (`float64`, `float32`, `int8`),
/// `test_accuracy`, `agreement_with_float64`, `samples_per_second` (batch 1024, 1 thread),
/// `samples_per_second_batch1`, `samples_per_second_calls`, `model_bytes`, `seeds`, `test_accuracy_per_seed`,
/// `agreement_with_float64_per_seed`, `diverged_per_seed`.
package struct PrecisionResult: Codable, Sendable, Hashable {
    /// The hidden activation's spelling (`relu`, `leaky:0.01`, `prelu`, …).
    package let activation: String
    /// `float64`, `float32` or `int8`.
    package let type: String
    /// Mean test accuracy over the seeds, in [0, 1].
    package let testAccuracy: Double
    /// Mean fraction of test predictions equal to Float64's, in [0, 1].
    package let agreementWithFloat64: Double
    /// Samples/s at batch 1024 on one thread (the first seed's model).
    package let samplesPerSecond: Double
    /// Samples/s at batch 1 on one thread (the first seed's model).
    package let samplesPerSecondBatch1: Double
    /// Samples/s of each timed call at batch 1024 (the first seed's model; ≥ 5 calls); nil in
    /// documents written before it was kept.
    package let samplesPerSecondCalls: [Double]?
    /// Bytes of the model file in this type (safetensors: F64, F32, or the int8 model file).
    package let modelBytes: Int
    /// The seeds averaged.
    package let seeds: [UInt64]
    package let testAccuracyPerSeed: [Double]
    package let agreementWithFloat64PerSeed: [Double]
    /// Whether each seed's training diverged (its model is then the last good epoch's, still
    /// compared across number types; a diverged ReLU seed fails claim 4).
    package let divergedPerSeed: [Bool]

    package init(
        activation: String, type: String, seeds: [UInt64], measurements: [PrecisionComparison.Measurement],
        diverged: [Bool] = []
    ) {
        self.activation = activation
        self.type = type
        self.seeds = seeds
        testAccuracyPerSeed = measurements.map(\.testAccuracy)
        agreementWithFloat64PerSeed = measurements.map(\.agreementWithFloat64)
        testAccuracy = testAccuracyPerSeed.reduce(0, +) / Double(max(measurements.count, 1))
        agreementWithFloat64 = agreementWithFloat64PerSeed.reduce(0, +) / Double(max(measurements.count, 1))
        samplesPerSecond = measurements.first?.samplesPerSecond ?? 0
        samplesPerSecondBatch1 = measurements.first?.samplesPerSecondBatch1 ?? 0
        samplesPerSecondCalls = measurements.first?.samplesPerSecondCalls
        modelBytes = measurements.first?.modelBytes ?? 0
        divergedPerSeed = diverged.isEmpty ? Array(repeating: false, count: measurements.count) : diverged
    }
}
