import Activations
import Plotting

/// The chart `rectifier plot` draws: activations' values and derivatives from their scalar
/// definitions, as a ``SmallMultiples`` of one or two line-chart panels.
package enum ActivationPlot {
    /// [−4, 4]: wide enough to show every member's saturation or linear growth.
    package static let defaultRange: ClosedRange<Double> = -4...4
    /// 801 points: a step of 0.01 over the default range.
    package static let defaultSamples = 801

    /// The x values where `activation` is not smooth: 0 for ReLU, leaky ReLU and abs, and for
    /// ELU and SELU (whose derivative jumps there unless α = 1); the switch to the identity at
    /// x = threshold/β for softplus; none for the others.
    package static func kinks(of activation: Activation) -> [Double] {
        switch activation {
        case .relu, .leakyReLU, .abs, .elu, .selu: return [0]
        case .softplus(let softplus): return [softplus.threshold / softplus.beta]
        case .identity, .sigmoid, .tanh, .gelu, .silu, .mish: return []
        }
    }

    /// `samples` evenly spaced points over `range` (both ends included), plus each kink
    /// inside the range together with the doubles just below and above it, so a jump in
    /// the derivative is drawn as a vertical step at the kink. Sorted, without repeats.
    package static func samplePoints(
        for activations: [Activation], range: ClosedRange<Double>, samples: Int
    ) -> [Double] {
        let count = max(2, samples)
        let span = range.upperBound - range.lowerBound
        var points = (0..<count).map { range.lowerBound + span * Double($0) / Double(count - 1) }
        points[count - 1] = range.upperBound
        for kink in activations.flatMap(kinks) where range.contains(kink) {
            points += [kink.nextDown, kink, kink.nextUp].filter(range.contains)
        }
        points.sort()
        return points.enumerated().filter { $0.offset == 0 || points[$0.offset - 1] != $0.element }.map(\.element)
    }

    /// The chart: a panel of values f(x) and, with `derivatives`, a panel of f′(x) beside it,
    /// one series per activation named by its display name.
    /// - Throws: ``PlotError/invalidParameter(name:value:allowed:)`` when `samples` < 2 or
    ///   the range is not finite.
    package static func chart(
        _ activations: [Activation], range: ClosedRange<Double> = defaultRange,
        samples: Int = defaultSamples, derivatives: Bool = true
    ) throws(PlotError) -> SmallMultiples {
        guard samples >= 2 else {
            throw .invalidParameter(name: "samples", value: "\(samples)", allowed: "at least 2")
        }
        guard range.lowerBound.isFinite, range.upperBound.isFinite, range.lowerBound < range.upperBound else {
            throw .invalidParameter(
                name: "range", value: "\(range)", allowed: "finite, lower < upper")
        }
        let x = samplePoints(for: activations, range: range, samples: samples)
        func panel(_ title: String, _ yLabel: String, _ f: (Activation, Double) -> Double)
            throws(PlotError) -> SmallMultiples.Panel
        {
            var series: [LineSeries] = []
            for activation in activations {
                series.append(try LineSeries(
                    name: activation.displayName, x: x, y: x.map { f(activation, $0) }))
            }
            return .line(LineChart(
                title: title, xAxis: Axis("x"), yAxis: Axis(yLabel), series: series,
                markers: .spaced(count: 8)))
        }
        var panels = [try panel("value", "f(x)") { $0.value($1) }]
        if derivatives {
            panels.append(try panel("derivative", "f′(x)") { $0.derivative($1) })
        }
        let number = ValueFormat.significantDigits(6)
        let kinkNote = derivatives && activations.contains { !kinks(of: $0).isEmpty }
            ? "; f′ at a kink is the library's convention" : ""
        return SmallMultiples(
            title: derivatives ? "Activations and their derivatives" : "Activations",
            subtitle: "From the scalar definitions in Double: \(samples) points on "
                + "[\(number.string(range.lowerBound)), \(number.string(range.upperBound))] plus the kinks\(kinkNote)",
            panels: panels, columns: panels.count,
            panelSize: derivatives ? ChartSize(width: 480, height: 380) : ChartSize(width: 640, height: 420))
    }
}
