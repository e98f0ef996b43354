import Runtime

extension Examples {
    /// Holds out the fraction `testFraction` of the examples (rounded to the nearest count),
    /// stratified by class as ``LabeledImages/heldOutSplit(validationCount:seed:)`` is:
    /// largest-remainder quotas, a ``SplitMix64`` shuffle per class; plain seeded sampling for
    /// regression targets and features only. Both parts keep the original order.
    ///
    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` unless the fraction is
    ///   in (0, 1) and leaves at least one example on each side.
    public func split(testFraction: Double, seed: UInt64) throws(DatasetError) -> (training: Examples, test: Examples) {
        let testCount = testFraction > 0 && testFraction < 1 ? Int((testFraction * Double(count)).rounded()) : 0
        guard testCount >= 1, testCount < count else {
            throw .invalidArgument(
                name: "--test-fraction", value: String(testFraction),
                allowed: "a number in (0, 1) leaving at least one of the \(count) examples on each side")
        }
        let (training, test) = split(heldOut: testCount, seed: seed)
        return (training, test)
    }

    /// Holds out `heldOutCount` examples, chosen as ``split(testFraction:seed:)`` chooses
    /// them (for labels 0…K−1 the same examples as
    /// ``LabeledImages/heldOutSplit(validationCount:seed:)``).
    /// - Precondition: `1 ≤ heldOutCount < count`.
    public func split(heldOut heldOutCount: Int, seed: UInt64) -> (training: Examples, heldOut: Examples) {
        precondition(heldOutCount >= 1 && heldOutCount < count, "Examples.split: held-out count outside 1..<count")
        let held = chosen(heldOutCount, seed: seed)
        return (gathering(held.indices.filter { !held[$0] }), gathering(held.indices.filter { held[$0] }))
    }

    /// `sampleCount` examples, stratified and seeded as ``split(testFraction:seed:)``, in
    /// their original order.
    /// - Throws: ``DatasetError/invalidArgument(name:value:allowed:)`` unless
    ///   `1 ≤ sampleCount ≤ count`.
    public func subset(_ sampleCount: Int, seed: UInt64) throws(DatasetError) -> Examples {
        guard sampleCount >= 1, sampleCount <= count else {
            throw .invalidArgument(name: "--train-samples", value: String(sampleCount), allowed: "1…\(count)")
        }
        if sampleCount == count { return self }
        let kept = chosen(sampleCount, seed: seed)
        return gathering(kept.indices.filter { kept[$0] })
    }

    /// Marks `total` examples, each class giving its largest-remainder share.
    private func chosen(_ total: Int, seed: UInt64) -> [Bool] {
        var groups: [[Int]]
        if case let .classes(labels, names) = targets {
            groups = Array(repeating: [], count: names.count)
            for (index, label) in labels.enumerated() { groups[label].append(index) }
        } else {
            groups = [Array(0..<count)]
        }
        let quotas = stratifiedQuotas(total: total, classSizes: groups.map(\.count))
        var generator = SplitMix64(seed: seed)
        var marked = [Bool](repeating: false, count: count)
        for group in groups.indices {
            generator.shuffle(&groups[group])
            for index in groups[group].prefix(quotas[group]) { marked[index] = true }
        }
        return marked
    }
}
