import Activations
import Networks

/// How many units of one hidden layer ever respond, over a probe batch.
///
/// ```
/// dead     = #{ units j : f(z_j) = 0 exactly, for every probe sample } / width
/// inactive = #{ units j : z_j ≤ 0,            for every probe sample } / width
/// ```
///
/// z is the layer's pre-activation (the output of the Dense layer before it) and f its
/// activation. A dead unit passes no gradient to the weights feeding it (ReLU′ = 0 there),
/// so plain gradient descent can never revive it; the same definition as
/// ``EpochRecord/deadUnitFractions``. An inactive unit sits on the negative side for every
/// sample: for ReLU the same as dead, for leaky ReLU and PReLU a unit that still gets the
/// error signal α·δ and can come back.
package struct UnitActivity: Codable, Equatable, Sendable {
    /// The activation (or PReLU) layer, `layers.i`.
    package let layer: String
    /// The fraction of units whose output is exactly 0 for every probe sample, in [0, 1].
    package let deadFraction: Double
    /// The fraction of units whose pre-activation is ≤ 0 for every probe sample, in [0, 1].
    package let inactiveFraction: Double

    package init(layer: String, deadFraction: Double, inactiveFraction: Double) {
        self.layer = layer
        self.deadFraction = deadFraction
        self.inactiveFraction = inactiveFraction
    }

    /// One record per activation or PReLU layer of `model`, in layer order, over the rows of
    /// `inputs` (`n × inputSize`). O(n · parameters).
    /// - Throws: ``NetworkError/shapeMismatch(what:detail:)`` when `inputs` does not fit.
    package static func measure<Scalar: ActivationScalar>(
        _ model: Sequential<Scalar>, inputs: Matrix<Scalar>
    ) throws(NetworkError) -> [UnitActivity] {
        let outputs = try model.layerOutputs(inputs)
        var records: [UnitActivity] = []
        for (index, layer) in model.architecture.layers.enumerated() {
            if case .dense = layer { continue }
            let preActivation = index == 0 ? inputs : outputs[index - 1]
            records.append(UnitActivity(
                layer: "layers.\(index)",
                deadFraction: fractionOfColumns(outputs[index]) { $0 == 0 },
                inactiveFraction: fractionOfColumns(preActivation) { $0 <= 0 }))
        }
        return records
    }

    /// The fraction of columns of `matrix` whose every entry satisfies `holds`.
    private static func fractionOfColumns<Scalar: ActivationScalar>(
        _ matrix: Matrix<Scalar>, where holds: (Scalar) -> Bool
    ) -> Double {
        var always = [Bool](repeating: true, count: matrix.columns)
        matrix.withUnsafeBufferPointer { values in
            for row in 0..<matrix.rows {
                let base = row * matrix.columns
                for column in 0..<matrix.columns where always[column] && !holds(values[base + column]) {
                    always[column] = false
                }
            }
        }
        return Double(always.lazy.filter { $0 }.count) / Double(matrix.columns)
    }
}
