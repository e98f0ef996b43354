import Activations
import Networks
import Quantization
import Runtime
import Testing

@Suite struct QuantizedConvolutionTests {
    /// NCHW codes of `images` images to NHWC.
    static func channelsLast(_ codes: [UInt8], _ shape: ImageShape, images: Int) -> [UInt8] {
        var result = codes
        for n in 0..<images {
            for c in 0..<shape.channels {
                for p in 0..<shape.planeCount {
                    result[n * shape.count + p * shape.channels + c] = codes[n * shape.count + c * shape.planeCount + p]
                }
            }
        }
        return result
    }

    /// The geometries checked: odd sizes, strides 1–3, `same` and `valid`, a kernel wider than
    /// the image (same), 1×1.
    static let geometries: [(c: Int, h: Int, w: Int, oc: Int, k: Int, s: Int, pad: ConvolutionPadding)] = [
        (3, 7, 5, 4, 3, 2, .same), (2, 6, 6, 5, 3, 1, .valid), (1, 5, 9, 3, 4, 3, .same),
        (5, 4, 4, 2, 1, 1, .valid), (2, 3, 3, 3, 5, 1, .same), (17, 5, 3, 19, 2, 2, .valid),
    ]

    /// The integer convolution (im2col + GEMM + requantisation) equals a direct convolution
    /// over NCHW codes, computed here from the definition in Int64, for ReLU and identity.
    @Test(arguments: 0..<geometries.count)
    func convolutionEqualsTheDirectIntegerConvolution(_ index: Int) throws {
        let g = Self.geometries[index]
        var generator = SeededGenerator(seed: UInt64(index))
        let geometry = try Convolution2D(
            input: try ImageShape(channels: g.c, height: g.h, width: g.w), outputChannels: g.oc,
            kernelSize: g.k, stride: g.s, padding: g.pad)
        let weights = try QuantizedWeights.random(outputs: g.oc, inputs: geometry.patchCount, using: &generator)
        let input = try QuantizationParameters(scale: 0.02, zeroPoint: 37)
        let output = try QuantizationParameters(scale: 0.5, zeroPoint: 11)
        let bias = (0..<g.oc).map { _ in Float.random(in: -2...2, using: &generator) }
        let images = 3
        let codes = randomCodes(images * geometry.input.count, using: &generator)
        let nhwc = Self.channelsLast(codes, geometry.input, images: images)
        for activation in [QuantizedActivation.relu, .identity] {
            let layer = try QuantizedDense(
                weights: weights, bias: bias, input: input, output: .codes(output, activation: activation))
            var result = [UInt8](repeating: 0, count: images * geometry.output.count)
            var patches = [UInt8](repeating: 0, count: images * geometry.patchCount * geometry.output.planeCount)
            nhwc.withUnsafeBufferPointer { source in
                patches.withUnsafeMutableBufferPointer { patches in
                    result.withUnsafeMutableBufferPointer {
                        layer.convolve(geometry, source.baseAddress!, images: images, patches: patches.baseAddress!, into: $0)
                    }
                }
            }
            let (k, oh, ow) = (g.k, geometry.output.height, geometry.output.width)
            for n in 0..<images {
                for o in 0..<g.oc {
                    let multiplier = try FixedPointMultiplier(layer.biasScales[o] / Double(output.scale))
                    for i in 0..<oh {
                        for j in 0..<ow {
                            var sum = Int64(layer.bias[o])
                            for c in 0..<g.c {
                                for u in 0..<k {
                                    for v in 0..<k {
                                        let h = i * g.s - geometry.padTop + u, w = j * g.s - geometry.padLeft + v
                                        guard h >= 0, h < g.h, w >= 0, w < g.w else { continue }
                                        let x = Int64(codes[n * geometry.input.count + (c * g.h + h) * g.w + w]) - 37
                                        // weights in the im2col order (u, v, c)
                                        sum += x * Int64(weights.values[o * geometry.patchCount + (u * k + v) * g.c + c])
                                    }
                                }
                            }
                            let value = 11 + multiplier.apply(Int32(sum))
                            let expected = Swift.min(Swift.max(value, activation == .relu ? 11 : 0), 255)
                            let got = result[n * geometry.output.count + (i * ow + j) * g.oc + o]
                            #expect(Int64(got) == expected, "image \(n) channel \(o) at \(i),\(j)")
                        }
                    }
                }
            }
        }
    }

    /// Pooling on codes, on constructed images whose answer is known: the max, and the mean
    /// rounded half up (1.5 → 2, 1.25 → 1, 1.75 → 2).
    @Test func poolingOnCodesGivesTheKnownAnswers() throws {
        let shape = try ImageShape(channels: 2, height: 2, width: 4)
        // NHWC: channel 0 is [1 2 0 9; 2 1 0 0], channel 1 is [1 1 200 0; 1 2 0 255]
        let codes: [UInt8] = [1, 1, 2, 1, 0, 200, 9, 0, 2, 1, 1, 2, 0, 0, 0, 255]
        let pooling = try Pooling2D(input: shape, kernelSize: 2)
        func run(_ step: QuantizedStep, count: Int) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: count)
            codes.withUnsafeBufferPointer { source in
                out.withUnsafeMutableBufferPointer { step.pool(source.baseAddress!, images: 1, into: $0.baseAddress!) }
            }
            return out
        }
        #expect(run(.maxPooling(pooling), count: 4) == [2, 2, 9, 255])
        // means: ch0 (1+2+2+1)/4 = 1.5 → 2, (0+9)/4 = 2.25 → 2; ch1 5/4 → 1, 455/4 = 113.75 → 114
        #expect(run(.averagePooling(pooling), count: 4) == [2, 1, 2, 114])
        // ch0 15/8 = 1.875 → 2, ch1 460/8 = 57.5 → 58
        #expect(run(.globalAveragePooling(shape), count: 2) == [2, 58])
    }

    /// A convolutional model with batch normalisation (folded), ReLU, both poolings, a global
    /// average branch excluded, flatten and dropout: int8 agrees with the Float model on the
    /// predicted class and stays within a bounded error, and the integer network equals its
    /// scalar reference bit for bit.
    @Test(arguments: ["conv:4x3:pad=same,batchnorm,maxpool:2,conv:6x3:stride=2,dropout:0.3,dense:12",
                      "conv:3x5:stride=2,pad=same,avgpool:2,conv:5x1,gap,dense:8"])
    func int8AgreesWithTheFloatModel(_ specification: String) throws {
        let architecture = try Architecture.fromLayerSpecification(
            specification, input: try ImageShape(channels: 2, height: 13, width: 11), hiddenActivation: .fixed(.relu),
            outputSize: 5)
        var generator = SeededGenerator(seed: 7)
        let model = Sequential<Double>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        for (index, layer) in architecture.layers.enumerated() {
            if case .batchNormalization(let shape) = layer {
                let draw = { (range: ClosedRange<Double>) in (0..<shape.channels).map { _ in Double.random(in: range, using: &generator) } }
                try model.parameters.setTensor(named: "layers.\(index).weight", to: draw(0.5...2))
                try model.parameters.setTensor(named: "layers.\(index).bias", to: draw(-0.5...0.5))
                try model.parameters.setTensor(named: "layers.\(index).running_mean", to: draw(-0.3...0.3))
                try model.parameters.setTensor(named: "layers.\(index).running_var", to: draw(0.2...3))
            }
        }
        let rows = 200
        let pixels = (0..<rows * architecture.inputSize).map { _ in Double.random(in: 0...1, using: &generator) }
        let features = try Matrix(rows: rows, columns: architecture.inputSize, scalars: pixels)
        let network = try QuantizedNetwork.quantize(model, calibration: features)
        let float = try model.predict(features).scalars
        let int8 = try network.logits(pixels.map { Float($0) })
        let largest = float.map(\.magnitude).max()!
        let error = zip(float, int8).map { abs($0 - Double($1)) }.max()!
        #expect(error <= 0.06 * largest, "largest error \(error) against logits up to \(largest)")
        let agree = zip(
            QuantizedNetwork.predictedClasses(logits: float.map { Float($0) }, outputs: 5),
            QuantizedNetwork.predictedClasses(logits: int8, outputs: 5)
        ).filter { $0 == $1 }.count
        #expect(agree >= rows * 9 / 10, "top-1 agreement \(agree)/\(rows)")
        var codes = [UInt8](repeating: 0, count: pixels.count)
        try pixels.map { Float($0) }.withUnsafeBufferPointer { source in
            try codes.withUnsafeMutableBufferPointer { try network.input.quantize(source, into: $0) }
        }
        var reference = [Float](repeating: 0, count: int8.count)
        codes.withUnsafeBufferPointer { source in
            reference.withUnsafeMutableBufferPointer { network.referenceLogits(codes: source, rows: rows, into: $0) }
        }
        #expect(reference == int8)
        #expect(try network.logits([]) == [], "no samples give no logits")
    }

    /// What int8 cannot run is refused in one line: a convolution giving the logits, an image
    /// too large for one sample's codes, steps that do not match the layers or are none.
    @Test func unsupportedConvolutionalModelsAreRefused() throws {
        let image = try ImageShape(channels: 1, height: 6, width: 6)
        let last = try Architecture(layers: [.convolution(try Convolution2D(input: image, outputChannels: 2, kernelSize: 3))])
        #expect(throws: QuantizationError.self) { _ = try QuantizedNetwork.steps(of: last) }
        let unit = try QuantizationParameters(scale: 0.1, zeroPoint: 0)
        // 1×40000×40000 with an 11×11 kernel: 1.9·10^11 im2col codes per image
        let huge = try Convolution2D(
            input: try ImageShape(channels: 1, height: 40_000, width: 40_000), outputChannels: 1, kernelSize: 11,
            padding: .same)
        var generator = SeededGenerator(seed: 1)
        let conv = try QuantizedDense(
            weights: try .random(outputs: 1, inputs: 121, using: &generator), bias: [0], input: unit,
            output: .codes(unit, activation: .relu))
        let readout = try QuantizedDense(
            weights: try .random(outputs: 1, inputs: 1, using: &generator), bias: [0], input: unit, output: .logits)
        let gap = QuantizedStep.globalAveragePooling(huge.output)
        do {
            _ = try QuantizedNetwork(input: unit, layers: [conv, readout], steps: [.convolution(huge), gap, .dense])
            Issue.record("a network needing 190 GB of codes per sample was accepted")
        } catch {
            #expect(!"\(error)".contains("\n") && "\(error)".contains("scratch codes per sample"), "\(error)")
        }
        #expect(throws: QuantizationError.self) {
            _ = try QuantizedNetwork(input: unit, layers: [conv, readout], steps: [.convolution(huge), .dense])
        }
        #expect(throws: QuantizationError.shapeMismatch(what: "steps", expected: 2, actual: 0)) {
            _ = try QuantizedNetwork(input: unit, layers: [conv, readout], steps: [])
        }
    }
}
