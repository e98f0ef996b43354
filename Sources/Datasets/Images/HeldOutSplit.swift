import Runtime

/// A training set divided into the part a model learns from and a held-out validation part.
public struct HeldOutSplit: Sendable {
    /// The images to train on.
    public let training: LabeledImages
    /// The held-out images, for choosing hyper-parameters and epochs.
    public let validation: LabeledImages
    /// Where each training image sits in the set that was split, ascending.
    public let trainingIndices: [Int]
    /// Where each validation image sits in the set that was split, ascending.
    public let validationIndices: [Int]
}

extension LabeledImages {
    /// Holds out `validationCount` images, stratified by class, chosen by `seed`.
    ///
    /// Stratified: each class gives its share `validationCount · n_class / count`, rounded by
    /// largest remainder (ties to the lower label), so the validation classes are as balanced
    /// as the whole (Fashion-MNIST, 5 000 held out: exactly 500 per class). Within a class the
    /// images are chosen by a Fisher–Yates shuffle with ``SplitMix64`` seeded by `seed`, one
    /// class after another in label order. Both parts keep the original order. The same
    /// images and seed give the same split on every run and platform.
    ///
    /// Complexity: O(count · pixelsPerImage).
    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` unless
    ///   `1 ≤ validationCount < count`.
    public func heldOutSplit(validationCount: Int, seed: UInt64) throws(DatasetError)
        -> HeldOutSplit
    {
        guard validationCount >= 1, validationCount < count else {
            throw .invalidArgument(
                name: "validation count", value: String(validationCount),
                allowed: "1…\(count - 1), fewer than the \(count) images")
        }
        var generator = SplitMix64(seed: seed)
        var byClass = [[Int]](repeating: [], count: classCount)
        for (index, label) in labels.enumerated() { byClass[Int(label)].append(index) }
        let quotas = stratifiedQuotas(total: validationCount, classSizes: byClass.map(\.count))
        var held = [Bool](repeating: false, count: count)
        for label in byClass.indices {
            generator.shuffle(&byClass[label])
            for index in byClass[label].prefix(quotas[label]) { held[index] = true }
        }
        let validationIndices = held.indices.filter { held[$0] }
        let trainingIndices = held.indices.filter { !held[$0] }
        return HeldOutSplit(
            training: try gathering(trainingIndices), validation: try gathering(validationIndices),
            trainingIndices: trainingIndices, validationIndices: validationIndices)
    }

    /// Holds out the fraction `validationFraction` of the images, rounded to the nearest
    /// count, as ``heldOutSplit(validationCount:seed:)`` does.
    ///
    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` unless the fraction
    ///   is in (0, 1) and leaves at least one image on each side.
    public func heldOutSplit(validationFraction: Double, seed: UInt64) throws(DatasetError)
        -> HeldOutSplit
    {
        guard validationFraction > 0, validationFraction < 1 else {
            throw .invalidArgument(
                name: "validation fraction", value: String(validationFraction),
                allowed: "a number in (0, 1)")
        }
        let validationCount = Int((validationFraction * Double(count)).rounded())
        return try heldOutSplit(validationCount: validationCount, seed: seed)
    }

    /// The first `sampleCount` images, for short experiments.
    ///
    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` unless
    ///   `1 ≤ sampleCount ≤ count`.
    public func firstSamples(_ sampleCount: Int) throws(DatasetError) -> LabeledImages {
        try checkSampleCount(sampleCount)
        return try gathering(Array(0..<sampleCount))
    }

    /// `sampleCount` images drawn without replacement by ``SplitMix64`` seeded by `seed` (a
    /// partial Fisher–Yates shuffle of the indices; not stratified), in their original order.
    ///
    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` unless
    ///   `1 ≤ sampleCount ≤ count`.
    public func randomSamples(_ sampleCount: Int, seed: UInt64) throws(DatasetError)
        -> LabeledImages
    {
        try checkSampleCount(sampleCount)
        var generator = SplitMix64(seed: seed)
        var indices = Array(0..<count)
        for position in 0..<sampleCount {
            indices.swapAt(position, position + generator.nextIndex(below: count - position))
        }
        return try gathering(indices[..<sampleCount].sorted())
    }

    private func checkSampleCount(_ sampleCount: Int) throws(DatasetError) {
        guard sampleCount >= 1, sampleCount <= count else {
            throw .invalidArgument(
                name: "sample count", value: String(sampleCount), allowed: "1…\(count)")
        }
    }
}

/// Splits `total` among classes in proportion to their sizes by largest remainder:
/// each gets ⌊total · size / Σsize⌋, and the leftover units go to the largest remainders
/// (ties to the lower class). No class gets more than its size when total < Σsize.
func stratifiedQuotas(total: Int, classSizes: [Int]) -> [Int] {
    let population = classSizes.reduce(0, +)
    var quotas = classSizes.map { total * $0 / population }
    let remainders = classSizes.map { total * $0 % population }
    let leftover = total - quotas.reduce(0, +)
    let order = classSizes.indices.sorted { left, right in
        remainders[left] != remainders[right] ? remainders[left] > remainders[right] : left < right
    }
    for label in order.prefix(leftover) { quotas[label] += 1 }
    return quotas
}
