import Experiments
import Testing

@Suite struct StatisticsTests {
    @Test func meanAndSampleStandardDeviationMatchTheirDefinitions() {
        let values = [2.0, 4, 4, 4, 5, 5, 7, 9]
        let statistics = SeedStatistics(values)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
        #expect(statistics.count == 8)
        #expect(statistics.missing == 0)
        #expect(abs(statistics.mean - mean) < 1e-12)
        #expect(abs(statistics.standardDeviation - variance.squareRoot()) < 1e-12)
        #expect(statistics.minimum == values.min())
        #expect(statistics.maximum == values.max())
    }

    @Test func nonFiniteValuesAreCountedAsMissingNotAveraged() {
        let statistics = SeedStatistics([1, .nan, 3, .infinity])
        #expect(statistics.count == 2)
        #expect(statistics.missing == 2)
        #expect(statistics.mean == 2)
        #expect(statistics.formatted().contains("(2 of 4)"))
    }

    @Test func oneValueHasNoSpreadAndNoValueIsNotANumber() {
        #expect(SeedStatistics([0.5]).standardDeviation == 0)
        let empty = SeedStatistics([.nan])
        #expect(empty.count == 0)
        #expect(empty.mean.isNaN)
        #expect(empty.formatted() == "n/a")
    }

    @Test func pointwiseStatisticsUseEveryCurveLongEnough() {
        let curves = [[1.0, 2, 3], [3.0, 4], [5.0]]
        let points = SeedStatistics.pointwise(curves)
        #expect(points.count == 3)
        #expect(points[0].mean == 3)
        #expect(points[0].count == 3)
        #expect(points[1].mean == 3)
        #expect(points[1].count == 2)
        #expect(points[2].mean == 3)
        #expect(points[2].count == 1)
    }

    @Test func fixedFormattingRoundsToTheGivenPlaces() {
        #expect(SeedStatistics.fixed(0.12345, decimals: 3) == "0.123")
        #expect(SeedStatistics.fixed(-2.5, decimals: 0) == "-3")
        #expect(SeedStatistics.fixed(1.999, decimals: 2) == "2.00")
        #expect(SeedStatistics.format(6.04, digits: 2) == "6.0")
    }

    /// A diverged run's loss (beyond Int's range) is text, not a trap.
    @Test func hugeAndNonFiniteValuesFormatWithoutTrapping() {
        #expect(SeedStatistics.fixed(9.5e18, decimals: 3) == "9.5e+18")
        #expect(SeedStatistics.fixed(-2e58, decimals: 1) == "-2e+58")
        #expect(SeedStatistics.fixed(.infinity, decimals: 2) == "∞")
        #expect(SeedStatistics.format(1.7e308) == "1.7e+308")
    }
}
