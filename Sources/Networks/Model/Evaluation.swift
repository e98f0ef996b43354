import Activations

extension Sequential {
    /// The mean `loss` and the accuracy (nil for regression targets) of the model on
    /// `data`, by forward passes in chunks of 1024 samples. O(n · parameters).
    /// - Throws: ``TrainingError/invalidData(_:)`` when the data does not fit the model or
    ///   the loss, or a feature is NaN or ±∞ (the loss would be NaN).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func evaluate(_ data: Dataset<Scalar>, loss: Loss = .softmaxCrossEntropy) throws(TrainingError)
        -> (loss: Double, accuracy: Double?)
    {
        guard data.featureCount == inputSize else {
            throw .invalidData("the data has \(data.featureCount) features, the model takes \(inputSize)")
        }
        do {
            try loss.validate(targets: data.targets, outputCount: outputSize)
        } catch {
            throw .invalidData(error.description)
        }
        if let index = data.features.firstNonFiniteIndex {
            throw .invalidData(
                "sample \(index / data.featureCount), feature \(index % data.featureCount) is NaN or infinite")
        }
        return EpochProbe.evaluate(self, data, loss: loss)
    }

    /// `counts[label][predicted]` over `data`'s samples, `classes × classes` with
    /// `classes` = the output count (2 for a single output).
    /// - Throws: ``TrainingError/invalidData(_:)`` for regression targets or a shape
    ///   mismatch.
    public func confusionMatrix(_ data: Dataset<Scalar>) throws(TrainingError) -> [[Int]] {
        guard let labels = data.labels else { throw .invalidData("a confusion matrix needs class labels") }
        let predictions: [Int]
        do {
            predictions = try predictClasses(data.features)
        } catch {
            throw .invalidData(error.description)
        }
        let classes = outputSize == 1 ? 2 : outputSize
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for (label, predicted) in zip(labels, predictions) {
            guard label >= 0 && label < classes else {
                throw .invalidData("label \(label) is outside 0..<\(classes)")
            }
            counts[label][predicted] += 1
        }
        return counts
    }
}
