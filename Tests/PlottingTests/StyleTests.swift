import Plotting
import Testing

@Suite struct StyleTests {
    @Test func theFirstEightSeriesDifferInEveryCue() {
        let styles = (0..<8).map(SeriesStyle.automatic)
        #expect(Set(styles.map(\.color)).count == 8)
        #expect(Set(styles.map(\.dash)).count == 8)
        #expect(Set(styles.map(\.fill)).count == 8)
        #expect(Set(styles.prefix(MarkerShape.allCases.count).map(\.marker)).count == MarkerShape.allCases.count)
    }

    @Test func manySeriesStillLookDifferent() {
        let looks = (0..<64).map { i -> String in
            let style = SeriesStyle.automatic(i)
            return "\(style.color) \(style.dash.lengths)"
        }
        #expect(Set(looks).count == 64)
    }

    @Test func okabeItoColoursAsPublished() {
        // Okabe & Ito (2008): orange, sky blue, bluish green, yellow, blue, vermillion,
        // reddish purple, black.
        let published: Set<String> = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000"]
        #expect(Set(Palette.okabeIto.map(\.description)) == published)
        #expect(Palette.okabeIto.last?.description == "#f0e442")  // the faint yellow comes last
    }

    @Test func valueFormats() {
        #expect(ValueFormat.decimals(2).string(0.5) == "0.50")
        #expect(ValueFormat.decimals(2).string(-0.001) == "0.00")
        #expect(ValueFormat.decimals(1).string(-2.26) == "\u{2212}2.3")
        #expect(ValueFormat.percent(decimals: 1).string(0.125) == "12.5%")
        #expect(ValueFormat.automatic.string(3.7e-44) == "3.7×10⁻⁴⁴")
        #expect(ValueFormat.automatic.string(1250) == "1250")
        #expect(ValueFormat.automatic.string(0.25) == "0.25")
        #expect(ValueFormat.automatic.string(-12345678) == "\u{2212}1.23×10⁷")
        #expect(ValueFormat.significantDigits(2).string(0.000123) == "1.2×10⁻⁴")
        #expect(ValueFormat.automatic.string(.nan) == "NaN")
        #expect(ValueFormat.automatic.string(-.infinity) == "\u{2212}∞")
        #expect(ValueFormat.percent(decimals: 0).string(.infinity) == "∞")
        #expect(ValueFormat.automatic.strings([0.28, 2.3, 0, .nan]) == ["0.28", "2.30", "0.00", "NaN"])
        #expect(ValueFormat.automatic.strings([5, 31, 12.5]) == ["5.0", "31.0", "12.5"])
        #expect(ValueFormat.automatic.strings([120, 4500]) == ["120", "4500"])
    }
}
