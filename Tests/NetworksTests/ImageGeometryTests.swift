import Networks
import Testing

/// Shapes of the image layers: the sizes by construction, and every bad size refused with
/// one line instead of a trap.
@Suite struct ImageGeometryTests {
    let mnist = try! ImageShape(channels: 1, height: 28, width: 28)

    @Test func outputSizes() throws {
        // valid: ⌊(H − K)/S⌋ + 1; same: ⌈H/S⌉ with the odd padding after.
        let valid = try Convolution2D(input: mnist, outputChannels: 32, kernelSize: 5)
        #expect(valid.output == (try ImageShape(channels: 32, height: 24, width: 24)))
        #expect(valid.weightShape == [32, 1, 5, 5])
        #expect(valid.weightCount == 800 && valid.patchCount == 25 && valid.columnCount == 25 * 576)
        let same = try Convolution2D(input: mnist, outputChannels: 8, kernelSize: 5, padding: .same)
        #expect(same.output.height == 28 && same.padTop == 2 && same.padLeft == 2)
        let even = try Convolution2D(input: mnist, outputChannels: 8, kernelSize: 4, padding: .same)
        #expect(even.output.height == 28 && even.padTop == 1)
        let strided = try Convolution2D(input: mnist, outputChannels: 8, kernelSize: 3, stride: 2, padding: .same)
        #expect(strided.output.height == 14 && strided.padTop == 0)
        let stridedValid = try Convolution2D(input: mnist, outputChannels: 8, kernelSize: 3, stride: 2)
        #expect(stridedValid.output.height == 13)
        let pool = try Pooling2D(input: try ImageShape(channels: 32, height: 24, width: 24), kernelSize: 2)
        #expect(pool.output == (try ImageShape(channels: 32, height: 12, width: 12)))
        #expect(try Pooling2D(input: mnist, kernelSize: 3).output.height == 9)
    }

    static let badSizes = [0, -1, Int.max, Int(Int32.max) + 1]

    @Test(arguments: badSizes)
    func badImageShapesAreRefused(size: Int) {
        #expect(throws: NetworkError.self) { try ImageShape(channels: size, height: 28, width: 28) }
        #expect(throws: NetworkError.self) { try ImageShape(channels: 1, height: size, width: 28) }
        #expect(throws: NetworkError.self) { try ImageShape(channels: 1, height: 28, width: size) }
    }

    @Test(arguments: badSizes)
    func badConvolutionSizesAreRefused(size: Int) {
        for (filters, kernel, stride) in [(size, 3, 1), (4, size, 1), (4, 3, size)] {
            do {
                _ = try Convolution2D(input: mnist, outputChannels: filters, kernelSize: kernel, stride: stride, padding: .same)
                Issue.record("accepted \(filters) filters, kernel \(kernel), stride \(stride)")
            } catch {
                #expect(!error.description.contains("\n"))
                #expect(error.description.hasPrefix("architecture convolution:"))
            }
        }
    }

    @Test func sizesThatOverflowAreRefused() throws {
        let big = try ImageShape(channels: 1 << 20, height: 1 << 5, width: 1 << 5)
        // C·K·K > 2³¹ − 1, and OC·C·K·K, and an output too large for 32-bit sizes.
        #expect(throws: NetworkError.self) { try Convolution2D(input: big, outputChannels: 1, kernelSize: 64, padding: .same) }
        #expect(throws: NetworkError.self) {
            try Convolution2D(input: try ImageShape(channels: 1 << 10, height: 8, width: 8), outputChannels: 1 << 20, kernelSize: 3)
        }
        let wide = try ImageShape(channels: 1, height: 1 << 15, width: 1 << 15)
        #expect(throws: NetworkError.self) { try Convolution2D(input: wide, outputChannels: 4, kernelSize: 1) }
        #expect(throws: NetworkError.self) { try ImageShape(channels: 1 << 16, height: 1 << 16, width: 1 << 16) }
        let limit = Int(Int32.max)
        #expect(throws: NetworkError.self) { try ImageShape(channels: limit, height: limit, width: limit) }
        // A convolution whose own sizes fit asks for scratch the caller can check.
        let fits = try Convolution2D(input: mnist, outputChannels: 32, kernelSize: 5)
        #expect(fits.groupSize == 1)
        #expect(fits.scratchCount(threads: 2) == 2 * ((2 * 25 + 32) * 576 + 800 + 32))
        // 64 positions: 8 images side by side in one GEMM.
        let second = try Convolution2D(
            input: try ImageShape(channels: 32, height: 12, width: 12), outputChannels: 64, kernelSize: 5)
        #expect(second.groupSize == 8)
        #expect(second.scratchCount(threads: 1) == (2 * 800 + 64) * 64 * 8 + 64 * 800 + 64)
    }

    @Test func kernelsLargerThanTheImageAreRefused() throws {
        let small = try ImageShape(channels: 1, height: 4, width: 6)
        #expect(throws: NetworkError.self) { try Convolution2D(input: small, outputChannels: 1, kernelSize: 5) }
        #expect(try Convolution2D(input: small, outputChannels: 1, kernelSize: 5, padding: .same).output.height == 4)
        #expect(throws: NetworkError.self) { try Pooling2D(input: small, kernelSize: 5) }
        #expect(throws: NetworkError.self) { try Pooling2D(input: small, kernelSize: 0) }
        #expect(throws: NetworkError.self) { try Pooling2D(input: small, kernelSize: 2, stride: -1) }
    }

    @Test(arguments: [-0.1, 1.5, .nan, .infinity, -.infinity])
    func badDropoutProbabilitiesAreRefused(probability: Double) {
        #expect(throws: NetworkError.self) { try Dropout.validate(probability: probability) }
    }

    @Test(arguments: [0.0, 0.5, 1.0])
    func dropoutProbabilitiesInRange(probability: Double) throws {
        try Dropout.validate(probability: probability)
    }
}
