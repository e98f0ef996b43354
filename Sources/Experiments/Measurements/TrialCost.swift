import Networks

extension Trial {
    /// Multiply-adds per sample of one forward pass through `hiddenSizes` (or the budget's)
    /// between `inputSize` features and `outputSize` outputs: the work unit of progress for
    /// experiments whose runs differ in size (a backward pass costs about twice as much, for
    /// every run alike).
    func multiplyAddsPerSample(budget: TrialBudget, inputSize: Int, outputSize: Int = 10) -> Double {
        var total = 0.0, width = inputSize
        for hidden in hiddenSizes ?? budget.hiddenSizes {
            total += Double(width * hidden)
            width = hidden
        }
        return total + Double(width * outputSize)
    }
}
