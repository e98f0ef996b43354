import Networks
import Quantization
import Runtime
import Testing

@Suite struct CalibrationTests {
    @Test func minMaxSeesEveryValue() throws {
        var observer = try RangeObserver(method: .minMax)
        try observer.observe([0.5, -2, 3])
        try observer.observe([1, 7.25])
        #expect(try observer.range() == -2...7.25)
        #expect(observer.count == 5)
    }

    @Test func percentileDropsTheOutliersOnEachSide() throws {
        // 0, 1, …, 10000 in a scrambled order, plus two wild outliers.
        var values = (0...10_000).map(Float.init)
        var generator = SeededGenerator(seed: 3)
        values.shuffle(using: &generator)
        values += [-1e6, 1e6]
        var observer = try RangeObserver(method: .percentile(99.99))
        try observer.observe(values)
        // 10003 values: ranks 0.0001·10002 = 1.0002 → 1 (down), 0.9999·10002 = 10000.9998 → 10001 (up).
        #expect(try observer.range() == 0...10_000)
        var everything = try RangeObserver(method: .percentile(100))
        try everything.observe(values)
        #expect(try everything.range() == -1e6...1e6)
    }

    @Test func onlyZerosCalibrateToValidParameters() throws {
        for method in [CalibrationMethod.minMax, .percentile(99.99)] {
            var observer = try RangeObserver(method: method)
            try observer.observe([Float](repeating: 0, count: 1000))
            let parameters = try observer.parameters()
            #expect(parameters.scale > 0 && parameters.scale.isFinite)
            #expect(parameters.dequantize(try parameters.quantize(0)) == 0)
        }
    }

    @Test func aConstantCalibratesToARangeFromZero() throws {
        for constant: Float in [3.5, -0.25] {
            var observer = try RangeObserver(method: .minMax)
            try observer.observe([Float](repeating: constant, count: 100))
            let parameters = try observer.parameters()
            let back = parameters.dequantize(try parameters.quantize(constant))
            #expect((back - constant).magnitude <= parameters.scale / 2)
            #expect(parameters.dequantize(try parameters.quantize(0)) == 0)
        }
    }

    @Test func badCalibrationIsRefused() throws {
        let empty = try RangeObserver(method: .minMax, name: "layer 1 output")
        #expect(throws: QuantizationError.noSamples(what: "layer 1 output")) {
            try empty.parameters()
        }
        var observer = try RangeObserver(method: .minMax)
        #expect(throws: QuantizationError.self) { try observer.observe([1, .infinity]) }
        #expect(observer.count == 0)
        #expect(throws: QuantizationError.self) { try RangeObserver(method: .percentile(50)) }
        #expect(throws: QuantizationError.self) { try RangeObserver(method: .percentile(100.5)) }
        #expect(throws: QuantizationError.self) { try RangeObserver(method: .percentile(.nan)) }
    }
}
