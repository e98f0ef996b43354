import Activations

/// The measurements taken after each epoch.
enum EpochProbe {
    /// Dead units, gradient norms and PReLU slopes, on the first `size` training samples.
    ///
    /// A unit is dead when its output is exactly zero for every probe sample. The gradient
    /// norm of a layer is √(Σ g²) over all its parameters, for the loss on the probe batch.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func measure<Scalar: ActivationScalar>(
        _ model: Sequential<Scalar>, _ data: Dataset<Scalar>, loss: Loss, size: Int
    ) -> (deadUnitFractions: [LayerStatistic], gradientNorms: [LayerStatistic], slopes: [SlopeSummary]) {
        let rows = Swift.min(size, data.count)
        var dead: [LayerStatistic] = []
        withRows(data, 0..<rows) { input, targets in
            let output = model.forward(input: input) { index, output in
                switch model.architecture.layers[index] {
                case .activation, .prelu:
                    dead.append(LayerStatistic(layer: "layers.\(index)", value: deadFraction(output)))
                default:
                    break
                }
            }
            _ = loss.compute(outputs: output, targets: targets, gradient: model.outputGradient(rows: rows))
            model.backward(computeInputGradient: false)
            model.lastInput = nil
        }
        var norms: [LayerStatistic] = []
        var slopes: [SlopeSummary] = []
        let store = model.parameters
        for (index, layer) in model.architecture.layers.enumerated() {
            let infos = store.layout.parameters.filter { $0.name.hasPrefix("layers.\(index).") }
            guard !infos.isEmpty else { continue }
            var squares = 0.0
            for info in infos {
                for g in store.gradients(of: info) { squares += Double(g) * Double(g) }
            }
            norms.append(LayerStatistic(layer: "layers.\(index)", value: squares.squareRoot()))
            if case .prelu = layer {
                slopes.append(SlopeSummary(layer: "layers.\(index)", values: store.values(of: infos[0]).map(Double.init)))
            }
        }
        return (dead, norms, slopes)
    }

    /// Mean loss and accuracy (nil for regression) of `model` on `data`, in chunks.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func evaluate<Scalar: ActivationScalar>(
        _ model: Sequential<Scalar>, _ data: Dataset<Scalar>, loss: Loss
    ) -> (loss: Double, accuracy: Double?) {
        var lossSum = 0.0, correct = 0, first = 0
        while first < data.count {
            let rows = Swift.min(Sequential<Scalar>.predictionChunk, data.count - first)
            withRows(data, first..<first + rows) { input, targets in
                let output = model.forward(input: input, predicting: true)
                let result = loss.compute(outputs: output, targets: targets, gradient: model.outputGradient(rows: rows))
                lossSum += result.sum
                correct += result.correct
            }
            first += rows
        }
        model.lastInput = nil
        return (lossSum / Double(data.count), data.labels == nil ? nil : Double(correct) / Double(data.count))
    }

    /// Calls `body` with views of the contiguous samples `range` (no copy).
    private static func withRows<Scalar: ActivationScalar>(
        _ data: Dataset<Scalar>, _ range: Range<Int>,
        _ body: (MatrixBuffer<Scalar>, TargetBatch<Scalar>) -> Void
    ) {
        let columns = data.featureCount
        data.features.withUnsafeBufferPointer { features in
            let input = MatrixBuffer(
                UnsafeMutablePointer(mutating: features.baseAddress! + range.lowerBound * columns),
                rows: range.count, columns: columns)
            switch data.targets {
            case .classes(let labels):
                labels.withUnsafeBufferPointer { body(input, .classes($0.baseAddress! + range.lowerBound)) }
            case .values(let targets):
                targets.withUnsafeBufferPointer { values in
                    body(input, .values(MatrixBuffer(
                        UnsafeMutablePointer(mutating: values.baseAddress! + range.lowerBound * targets.columns),
                        rows: range.count, columns: targets.columns)))
                }
            }
        }
    }

    /// The fraction of columns of `output` that are zero in every row.
    private static func deadFraction<Scalar: ActivationScalar>(_ output: MatrixBuffer<Scalar>) -> Double {
        var alive = [Bool](repeating: false, count: output.columns)
        for row in 0..<output.rows {
            let values = output.base + row * output.columns
            for column in 0..<output.columns where values[column] != 0 { alive[column] = true }
        }
        return Double(alive.lazy.filter { !$0 }.count) / Double(output.columns)
    }
}
