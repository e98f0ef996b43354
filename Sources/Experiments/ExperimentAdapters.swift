/// The registry's entries for the two experiments that take their own options (precision
/// and leaky-units): each maps an ``ExperimentContext`` onto them.
extension PrecisionExperiment {
    /// The registry's entry: `DIR/precision.json`.
    public static let registration = RegisteredExperiment(
        name: "precision", summary: "Float64, Float32 and int8 inference of the same trained models",
        run: { context in
            let task = context.progress.start("precision", totalWork: Double(activations.count * context.seeds))
            try run(
                options: Options(
                    outputDirectory: context.output.directory, seeds: context.seeds, full: context.full,
                    threads: context.threads, dataDirectory: context.dataDirectory),
                progress: { line in task.advance(by: line.contains("int8 accuracy") ? 1 : 0, status: line) })
            task.finish(status: "precision.json written")
        })
}

extension LeakyUnitsExperiment {
    /// The registry's entry: `DIR/leaky-units.json`.
    public static let registration = RegisteredExperiment(
        name: "leaky-units",
        summary: "leaky recurrent units on the adding problem and sequential Fashion-MNIST, several time scales",
        run: { context in
            var options = context.full ? LeakyUnitsOptions.full(seeds: context.seeds) : .short(seeds: context.seeds)
            options.profilesStep = false
            let images = options.sequentialImages == nil ? nil : try context.images()
            let task = context.progress.start("leaky-units", totalWork: 1)
            var done = 0.0
            _ = try run(options: options, output: context.output, images: images) { fraction, status in
                task.advance(by: max(0, fraction - done), status: status)
                done = max(done, fraction)
            }
            task.finish(status: "leaky-units.json written")
        })
}
