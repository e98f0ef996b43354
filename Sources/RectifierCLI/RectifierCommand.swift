import ArgumentParser

/// `rectifier`: the command-line tool, a thin shell around the library.
public struct RectifierCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rectifier",
        abstract: "The rectifier family of activations: exact values, fast kernels, networks and experiments.",
        version: rectifierVersion,
        subcommands: [
            EvalCommand.self,
            TrainCommand.self,
            EvaluateCommand.self,
            PredictCommand.self,
            SummaryCommand.self,
            QuantizeCommand.self,
            ExportCommand.self,
            ImportCommand.self,
            BenchCommand.self,
            PlotCommand.self,
            ExperimentCommand.self,
            RunCommand.self,
            ReportCommand.self,
            SlurmCommand.self,
        ]
    )

    public init() {}
}
