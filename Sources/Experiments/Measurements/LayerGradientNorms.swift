import Activations
import Networks

/// The gradient norm of each parameterised layer of a network, for the mean loss on a batch:
/// the vanishing- (or exploding-) gradient picture of a deep network.
///
/// ```
/// norm(layer i) = √( Σ_{θ ∈ layers.i.*} (∂L/∂θ)² ),   L = mean loss over the batch
/// ```
///
/// The same quantity as ``EpochRecord/gradientNorms`` (which the trainer measures after each
/// epoch on its probe batch), so a norm at initialisation and one after training compare.
package enum LayerGradientNorms {
    /// The mean loss on the batch and the gradient norm of each layer.
    package struct Measurement: Equatable, Sendable {
        /// The mean loss L over the batch.
        package let loss: Double
        /// One ``LayerStatistic`` per Dense or PReLU layer (`layers.i`), in layer order.
        package let norms: [LayerStatistic]
    }

    /// The mean `loss` of `model` on `inputs` (`n × inputSize`) and `targets`, and the
    /// gradient norm of every Dense or PReLU layer. Overwrites the model's parameter
    /// gradients. O(n · parameters).
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` when the inputs or targets do
    ///   not fit the model or the loss.
    package static func measure<Scalar: ActivationScalar>(
        _ model: Sequential<Scalar>, inputs: Matrix<Scalar>, targets: Targets<Scalar>,
        loss: Loss = .softmaxCrossEntropy
    ) throws(NetworkError) -> Measurement {
        let outputs = try model.forward(inputs)
        let evaluation = try loss.evaluate(outputs: outputs, targets: targets)
        _ = try model.backward(outputGradient: evaluation.gradient)
        let store = model.parameters
        var norms: [LayerStatistic] = []
        for index in model.architecture.layers.indices {
            let prefix = "layers.\(index)."
            let infos = store.layout.parameters.filter { $0.name.hasPrefix(prefix) }
            guard !infos.isEmpty else { continue }
            var squares = 0.0
            for info in infos {
                for gradient in store.gradients(of: info) { squares += Double(gradient) * Double(gradient) }
            }
            norms.append(LayerStatistic(layer: "layers.\(index)", value: squares.squareRoot()))
        }
        return Measurement(loss: evaluation.value, norms: norms)
    }

    /// As ``measure(_:inputs:targets:loss:)`` on the first `samples` samples of `data`.
    /// - Throws: as ``measure(_:inputs:targets:loss:)``.
    package static func measure<Scalar: ActivationScalar>(
        _ model: Sequential<Scalar>, on data: Dataset<Scalar>, samples: Int,
        loss: Loss = .softmaxCrossEntropy
    ) throws(NetworkError) -> Measurement {
        let probe = data.subset(Array(0..<Swift.max(1, Swift.min(samples, data.count))))
        return try measure(model, inputs: probe.features, targets: probe.targets, loss: loss)
    }
}
