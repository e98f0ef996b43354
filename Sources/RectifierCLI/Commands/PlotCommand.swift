import Activations
import ArgumentParser
import Experiments
import Plotting

/// `rectifier plot ACTIVATION… [-o FILE] [--range LO:HI | --from LO --to HI] [--samples N]
/// [--derivatives | --no-derivatives]`: an SVG of the activations and their derivatives.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Write an SVG chart of activations and their derivatives.",
        discussion: """
            Values and derivatives come from the scalar definitions in Double, on evenly \
            spaced points plus each kink and its neighbouring doubles, so corners and jumps \
            are drawn exactly. The file is written atomically (a temporary file in the same \
            directory, then a rename). Example: \
            rectifier plot relu leaky:0.1 abs softplus:beta=2 sigmoid tanh -o activations.svg --range -6:6
            """)

    @Argument(help: ArgumentHelp("The activations (1 to \(PlotCommand.maximumActivations)): \(Activation.spellings).", valueName: "activation"))
    var activations: [String]

    @Option(name: [.short, .long], help: "The SVG file to write.")
    var output = "activations.svg"

    @Option(parsing: .unconditional, help: ArgumentHelp("The x range, LO:HI (default -4:4).", valueName: "lo:hi"))
    var range: String?

    @Option(parsing: .unconditional, help: "The lower end of the x range (instead of --range).")
    var from: Double?

    @Option(parsing: .unconditional, help: "The upper end of the x range (instead of --range).")
    var to: Double?

    @Option(help: "Evenly spaced points over the range, 2 … 100000 (kinks are added).")
    var samples = ActivationPlot.defaultSamples

    @Flag(inversion: .prefixedNo, help: "Draw a second panel with the derivatives.")
    var derivatives = true

    func validate() throws {
        _ = try parsedActivations()
        _ = try interval()
        guard (2...100_000).contains(samples) else {
            throw ValidationError("--samples: \(samples) is not allowed (2 … 100000)")
        }
    }

    func run() throws {
        var files = CommandFiles()
        files.writes(output, flag: "--output")
        try files.check()
        let chart = try ActivationPlot.chart(
            try parsedActivations(), range: try interval(), samples: samples, derivatives: derivatives)
        try chart.write(toFile: output)
        print("wrote \(output)")
    }

    /// The most curves one chart draws (each series is kept whole in memory while drawing).
    static let maximumActivations = 64

    private func parsedActivations() throws -> [Activation] {
        guard !activations.isEmpty else { throw ValidationError("give at least one activation to plot") }
        guard activations.count <= Self.maximumActivations else {
            throw ValidationError("\(activations.count) activations are too many for one chart (at most \(Self.maximumActivations))")
        }
        return try activations.map(parseActivation)
    }

    /// The x range from --range or --from/--to, each bound defaulting to ±4.
    private func interval() throws -> ClosedRange<Double> {
        var lower = ActivationPlot.defaultRange.lowerBound, upper = ActivationPlot.defaultRange.upperBound
        if let range {
            guard from == nil, to == nil else {
                throw ValidationError("give either --range or --from/--to, not both")
            }
            let parts = range.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let low = Double(String(parts[0])), let high = Double(String(parts[1])) else {
                throw ValidationError("--range: cannot read '\(range)'; expected LO:HI, e.g. --range=-4:4")
            }
            (lower, upper) = (low, high)
        }
        lower = from ?? lower
        upper = to ?? upper
        guard lower.isFinite, upper.isFinite, lower < upper else {
            throw ValidationError("the x range \(lower)…\(upper) is not allowed (finite, lower < upper)")
        }
        return lower...upper
    }
}
