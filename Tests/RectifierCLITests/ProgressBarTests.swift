import RectifierCLI
import Testing

@Suite struct ProgressBarTests {
    @Test func clockFormatsMinutesAndHours() {
        #expect(ProgressBar.clock(0) == "0:00")
        #expect(ProgressBar.clock(59.6) == "1:00")
        #expect(ProgressBar.clock(3599) == "59:59")
        #expect(ProgressBar.clock(3661) == "1:01:01")
        #expect(ProgressBar.clock(.infinity) == "–")
    }

    @Test func barHasFixedWidthAndEighthPrecision() {
        for width in [10, 17, 30] {
            for step in 0...80 {
                #expect(ProgressBar.bar(Double(step) / 80, width: width).count == width)
            }
        }
        #expect(ProgressBar.bar(0, width: 4) == "    ")
        #expect(ProgressBar.bar(1, width: 4) == "████")
        #expect(ProgressBar.bar(0.5 + 1.0 / 32, width: 4) == "██▏ ")
    }
}
