import Activations
import Networks
import Testing

/// `--layers` specifications: the layers each one builds, and one-line refusals.
@Suite struct LayerSpecificationTests {
    let image = try! ImageShape(channels: 1, height: 28, width: 28)

    func build(_ text: String) throws(NetworkError) -> Architecture {
        try Architecture.fromLayerSpecification(text, input: image, hiddenActivation: .fixed(.relu), outputSize: 10)
    }

    @Test func theUsualNetwork() throws {
        let layers = try build("conv:32x5,maxpool:2,conv:64x5,maxpool:2,dense:1024").layers
        let first = try Convolution2D(input: image, outputChannels: 32, kernelSize: 5)
        let pool = try Pooling2D(input: first.output, kernelSize: 2)
        let second = try Convolution2D(input: pool.output, outputChannels: 64, kernelSize: 5)
        let pool2 = try Pooling2D(input: second.output, kernelSize: 2)
        #expect(layers == [
            .convolution(first), .activation(.relu, width: 32 * 24 * 24), .maxPooling(pool),
            .convolution(second), .activation(.relu, width: 64 * 8 * 8), .maxPooling(pool2),
            .flatten(pool2.output), .dense(inputs: 64 * 4 * 4, outputs: 1024), .activation(.relu, width: 1024),
            .dense(inputs: 1024, outputs: 10),
        ])
    }

    @Test func optionsStridesPaddingAndGlobalPooling() throws {
        let layers = try build("conv:8x3:stride=2,pad=same, avgpool:2 ,conv:4x3:pad=same,gap").layers
        guard case let .convolution(first) = layers[0], case let .convolution(second) = layers[3] else {
            Issue.record("\(layers)")
            return
        }
        #expect(first.stride == 2 && first.padding == .same && first.output.height == 14)
        #expect(second.stride == 1 && second.padding == .same && second.output.height == 7)
        #expect(layers[5] == .globalAveragePooling(second.output))
        #expect(layers[6] == .dense(inputs: 4, outputs: 10))
        #expect(layers.count == 7)
    }

    @Test func denseOnlyNeedsNoFlatten() throws {
        let layers = try build("dense:16").layers
        #expect(layers == [.dense(inputs: 784, outputs: 16), .activation(.relu, width: 16), .dense(inputs: 16, outputs: 10)])
    }

    @Test(arguments: [
        "", " ", ",", "conv:32x5,,dense:10", "conv:0x5", "conv:-1x5", "conv:32x0", "conv:32x-1",
        "conv:9223372036854775807x5", "conv:32x9223372036854775807", "conv:9223372036854775808x5",
        "conv:2147483648x1", "conv:32", "conv:32x5x5", "conv:32x5:stride=0", "conv:32x5:pad=full",
        "conv:32x5:dilation=2", "conv:32x29", "maxpool:0", "maxpool:29", "maxpool:-1", "avgpool:x", "gap:2",
        "dense:0", "dense:-1", "dense:9223372036854775807", "dense:", "dense", "dense:10,conv:4x3",
        "dense:10,maxpool:2", "gap,gap", "lstm:10", "dropout:2", "batchnorm:1", "conv:100000000x28:pad=same",
    ])
    func badSpecificationsAreOneLineErrors(text: String) {
        do {
            _ = try build(text)
            Issue.record("accepted '\(text)'")
        } catch {
            #expect(!error.description.contains("\n"), "\(error)")
            #expect(error.description.hasPrefix("architecture layers"), "\(error)")
        }
    }
}
