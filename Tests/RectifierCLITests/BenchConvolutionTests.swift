import RectifierCLI
import Testing

/// `rectifier bench convolution`: bad sizes are one-line usage errors naming the flag; a
/// small run prints its row.
@Suite struct BenchConvolutionTests {
    @Test(arguments: [
        (["--batch", "0"], "--batch"), (["--batch", "-1"], "--batch"), (["--batch", "4097"], "--batch"),
        (["--batch", "9223372036854775807"], "--batch"), (["--filters", "0"], "--filters"),
        (["--filters", "1025"], "--filters"), (["--kernel", "0"], "--kernel"), (["--kernel", "29"], "--kernel"),
        (["--padding", "full"], "--padding"), (["--padding", ""], "--padding"), (["--runs", "0"], "--runs"),
        (["--threads", "0"], "--threads"),
    ])
    func badOptionsAreUsageErrors(_ options: [String], _ flag: String) {
        expectUsageError(["bench", "convolution"] + options, naming: flag)
    }

    @Test func smallRunPrintsOneRowPerThreadCount() throws {
        let lines = try capturingStandardOutput {
            var command = try RectifierCommand.parseAsRoot([
                "bench", "convolution", "--batch", "2", "--filters", "3", "--kernel", "28", "--padding", "same",
                "--runs", "1", "--threads", "1,2",
            ])
            try command.run()
        }
        #expect(lines.contains { $0.hasPrefix("conv 1×28×28 → 3×28×28, kernel 28, batch 2") })
        // Other tests may print into the same window: count only rows of this table.
        let row = try Regex(#"[12] +[0-9.]+ \([0-9.]+\) +[0-9.]+ \([0-9.]+\) +[0-9.]+ \([0-9.]+\) +[0-9]+"#)
        #expect(lines.filter { (try? row.wholeMatch(in: $0)) != nil }.count == 2, "\(lines)")
    }
}
