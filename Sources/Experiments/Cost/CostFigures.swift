import Activations
import Plotting

/// The cost experiment's plots: the activations' shapes and derivatives, kernel time per
/// element, and where a training step's time goes.
enum CostFigures {
    /// The members drawn in the shape plot (leaky 0.25 is PReLU at its initial slope).
    static let shapes: [Activation] = [
        .relu, try! .leakyReLU(negativeSlope: 0.01), try! .leakyReLU(negativeSlope: 0.25),
        .softplus(Softplus()), .sigmoid, .tanh,
    ]

    static func write(_ results: CostResults, to output: ExperimentOutput) throws -> [FigureReference] {
        try output.write(text: try ActivationPlot.chart(shapes).svg(), to: "cost-shapes.svg")
        let operations = results.kernelOperations
        let kernelSeries = try ["forward", "backward"].map { direction in
            let statistics = operations.map { results.nanoseconds($0, direction) }
            return try BarSeries(
                name: direction, values: statistics.map(\.mean),
                errors: .interval(lower: statistics.map(\.minimum), upper: statistics.map(\.maximum)))
        }
        let copy = results.nanoseconds("copy", "forward").mean
        let kernels = BarChart(
            title: "Activation kernels: time per element",
            subtitle: "Float32, median of timed calls; error bars span the repetitions",
            categories: operations, categoryAxisLabel: "activation",
            valueAxis: Axis("time", unit: "ns/element", includesZero: true), series: kernelSeries,
            valueLabels: .significantDigits(2),
            referenceLines: copy.isFinite ? [ReferenceLine(.horizontal, at: copy, label: "copy")] : [])
        try output.write(text: try kernels.svg(), to: "cost-kernels.svg")
        let activations = results.profiledActivations
        let shareSeries = try [("GEMM", \TrainingStepProfile.gemmShare), ("activations", \TrainingStepProfile.activationShare)]
            .map { name, path in
                let statistics = activations.map { activation in
                    SeedStatistics(results.steps.filter { $0.activation == activation }.map { $0[keyPath: path] * 100 })
                }
                return try BarSeries(
                    name: name, values: statistics.map(\.mean),
                    errors: .interval(lower: statistics.map(\.minimum), upper: statistics.map(\.maximum)))
            }
        let shares = BarChart(
            title: "Share of a training step", subtitle: "784-256-128-10, Adam, batch 128; error bars span the seeds",
            categories: activations, categoryAxisLabel: "hidden activation",
            valueAxis: Axis("share of the step", unit: "%", range: 0...100), series: shareSeries,
            valueLabels: .significantDigits(2))
        try output.write(text: try shares.svg(), to: "cost-training-share.svg")
        return [
            FigureReference(
                file: "cost-shapes.svg",
                caption: "The activations (left) and their derivatives (right) from the scalar definitions; "
                    + "leaky 0.25 is PReLU at its initial slope."),
            FigureReference(
                file: "cost-kernels.svg",
                caption: "Nanoseconds per element of each kernel, forward and backward; the dashed line is a plain "
                    + "copy of the same size (the memory-bandwidth floor). Lower is cheaper."),
            FigureReference(
                file: "cost-training-share.svg",
                caption: "Percent of a training step's time in matrix products (GEMM) and in the activation layers; "
                    + "the rest is the loss, optimiser and bookkeeping."),
        ]
    }
}
