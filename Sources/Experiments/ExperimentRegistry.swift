/// Every experiment `rectifier run` runs (short versions) and `rectifier run --full` runs
/// (long versions), in this order. Add a new experiment with one line.
public enum ExperimentRegistry {
    public static let all: [RegisteredExperiment] = [
        EfficiencyExperiment.registration,
        CostExperiment.registration,
        DepthExperiment.registration,
        InitialisationExperiment.registration,
        DeadUnitsExperiment.registration,
        PrecisionExperiment.registration,
        LeakyUnitsExperiment.registration,
    ]

    /// The experiment called `name`, or nil.
    public static func named(_ name: String) -> RegisteredExperiment? {
        all.first { $0.name == name }
    }
}
