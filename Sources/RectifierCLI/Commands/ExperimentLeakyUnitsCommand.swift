import Activations
import ArgumentParser
import Experiments
import Runtime

/// `rectifier experiment leaky-units`: α = 0, α fixed near one, multi-scale α and learned α,
/// with ReLU and tanh, on the adding problem at T = 50, 100, 200, 400 and on sequential
/// Fashion-MNIST (issue 4).
struct ExperimentLeakyUnitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaky-units",
        abstract: "Leaky recurrent units on the adding problem and sequential Fashion-MNIST; writes DIR/leaky-units.json and plots.",
        discussion: """
            Trains a recurrent layer h(t) = α⊙h(t−1) + (1−α)⊙σ(W·x + U·h(t−1) + b) with each \
            leak (plain α = 0, fixed 0.99, multi-scale, learned) and activation (ReLU, tanh) \
            on the same seeds and budget, and reports the held-out MSE per length against the \
            mean predictor's 0.167, the gradient reach and the learned time constants. Then \
            the same leaks and activations classify Fashion-MNIST images read one row of 28 \
            pixels per step (test accuracy; images from --data). The short version (adding: \
            32 units, 300 steps; images: 64 units, one epoch of 6000) takes about a minute; \
            --full uses 128 units, 800 steps, and five epochs of all 60 000 images (about 20 minutes).
            """)

    @OptionGroup var options: ExperimentOptions

    @Option(help: "Adding-problem training steps per run (default: 300, or 800 with --full).")
    var steps: Int?

    @Option(help: "Comma-separated sequence lengths (default: 50,100,200,400).")
    var lengths: String?

    @Option(help: "Hidden units for the adding problem (default: 32, or 128 with --full).")
    var units: Int?

    @Option(help: "Comma-separated leaks to run, from plain,fixed,multiscale,learned (default: all).")
    var variants: String?

    @Option(help: "Comma-separated activations, e.g. relu,tanh (default: relu,tanh).")
    var activations: String?

    @Flag(help: "Skip timing the BPTT step at hidden 128, batch 64, T = 200.")
    var skipProfile = false

    @Flag(help: "Skip sequential Fashion-MNIST (run the adding problem only; needs no --data).")
    var skipImages = false

    @Option(help: "When a run diverges (a NaN, infinite or over 1000× the mean predictor's training loss): stop it there, counted as diverged (default), or go back to its last checkpoint and halve the learning rate (up to 5 times).")
    var onDivergence: TrainCommand.DivergenceChoice?

    func validate() throws {
        if let units, units < 1 { throw ValidationError("--units \(units) is not allowed (≥ 1)") }
        if let variants {
            let names = Set(LeakyUnitsOptions.standardLeaks.map(\.variantName))
            let chosen = variants.split(separator: ",").map(String.init)
            if chosen.isEmpty || !chosen.allSatisfy(names.contains) {
                throw ValidationError("--variants '\(variants)' is not allowed (comma-separated: plain, fixed, multiscale, learned)")
            }
        }
        if let activations {
            for text in activations.split(separator: ",") { _ = try parseActivation(String(text)) }
        }
        if let steps, steps < 1 { throw ValidationError("--steps \(steps) is not allowed (≥ 1)") }
        if let lengths, parsedLengths(lengths) == nil {
            throw ValidationError("--lengths '\(lengths)' is not allowed (comma-separated integers ≥ 2)")
        }
    }

    /// Refuses sizes whose adding-problem runs need more memory than the machine has,
    /// naming the flags that set them.
    private func requireMemory(_ settings: LeakyUnitsOptions) throws {
        let flags = [units.map { "--units \($0)" }, lengths.map { "--lengths \($0)" }].compactMap { $0 }
        do {
            try MemoryBudget.require(
                settings.addingProblemBytes, for: flags.isEmpty ? "the adding problem" : flags.joined(separator: " "))
        } catch {
            throw CommandFailure(error.description)
        }
    }

    private func parsedLengths(_ text: String) -> [Int]? {
        let values = text.split(separator: ",").map { Int($0.filter { $0 != " " }) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 2 }) else { return nil }
        return values.map { $0! }
    }

    func run() throws {
        try Execution(threads: options.threads).run { try runWithThreads() }
    }

    private func runWithThreads() throws {
        var settings = options.full ? LeakyUnitsOptions.full(seeds: options.seeds) : .short(seeds: options.seeds)
        if let steps { settings.steps = steps }
        if let lengths, let values = parsedLengths(lengths) { settings.lengths = values }
        if let units { settings.units = units }
        if skipProfile { settings.profilesStep = false }
        if skipImages { settings.sequentialImages = nil }
        if let onDivergence { settings.divergence = onDivergence.policy }
        if let variants {
            let chosen = Set(variants.split(separator: ",").map(String.init))
            settings.leaks = settings.leaks.filter { chosen.contains($0.variantName) }
        }
        if let activations {
            settings.activations = try activations.split(separator: ",").map { try parseActivation(String($0)) }
        }
        try requireMemory(settings)
        let context = try options.context()
        let images = settings.sequentialImages == nil ? nil : try context.images()
        let output = context.output
        let bar = ProgressBar(label: LeakyUnitsExperiment.name, total: 1)
        let document = try LeakyUnitsExperiment.run(options: settings, output: output, images: images) { fraction, status in
            bar.update(completed: fraction, status: status)
        }
        bar.finish(status: "\(document.results.count) runs")
        for claim in document.claims {
            print("\(claim.supported ? "supported" : "not supported"): \(claim.claim) — \(claim.measured)")
        }
        for run in document.results where run.diverged {
            print("diverged: \(run.task) T=\(run.length) \(run.variant) \(run.activation) seed \(run.seed) at step \(run.divergedAtStep ?? run.steps): \(run.divergence ?? "")")
        }
        print("wrote \(output.path(LeakyUnitsExperiment.name + ".json"))")
    }
}
