import Activations
import Foundation
import Networks
import Runtime
import Testing

/// The image layers against PyTorch (`Tests/Peers/torch_layers_peer.py`, run with the peer
/// venv's python, made by `make peer-venv`; `RECTIFIER_PEER_PYTHON` overrides it) on
/// identical weights, inputs and output gradients, in float64 and float32. A missing venv
/// fails the test with the command that makes it.
@Suite struct TorchLayerPeerTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = ProcessInfo.processInfo.environment["RECTIFIER_PEER_PYTHON"]
        ?? root.appendingPathComponent(".build/venv/bin/python").path

    struct PeerFailure: Error, CustomStringConvertible { let description: String }

    /// PyTorch's outputs and gradients for `cases` (JSON-ready values), in one process.
    static func torch(_ cases: [[String: Any]]) throws -> [[String: [Double]]] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw PeerFailure(description: "the Python peer venv is missing (\(python)): run `make peer-venv`")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("torch-layer-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: cases).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("Tests/Peers/torch_layers_peer.py").path, file.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try JSONSerialization.jsonObject(with: data) as? [[String: [Double]]], object.count == cases.count
        else {
            throw PeerFailure(description: "torch peer failed: \(String(decoding: message, as: UTF8.self))")
        }
        return object
    }

    static func random(_ count: Int, _ generator: inout SeededGenerator) -> [Double] {
        // Multiples of 2⁻¹⁰ in [−2, 2]: exact in float32, so both sides see the same inputs.
        (0..<count).map { _ in Double(Int(generator.next() % 4097) - 2048) / 1024 }
    }

    /// max |a − b| / max(1, max |b|).
    static func error<T: BinaryFloatingPoint>(_ a: [T], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "lengths \(a.count) and \(b.count)")
        let scale = max(1, b.map(abs).max() ?? 0)
        return zip(a, b).map { abs(Double($0) - $1) }.max().map { $0 / scale } ?? 0
    }

    static func tolerance<T>(_: T.Type) -> Double { T.self == Float.self ? 2e-6 : 1e-13 }

    static let convolutions: [(channels: Int, height: Int, width: Int, filters: Int, kernel: Int, stride: Int, padding: ConvolutionPadding)] = [
        (1, 12, 12, 4, 5, 1, .valid), (3, 9, 8, 5, 3, 1, .same), (2, 8, 8, 3, 4, 1, .same),
        (2, 9, 7, 3, 3, 2, .same), (3, 10, 9, 2, 3, 3, .valid),
    ]

    /// One layer's request to PyTorch and the checks of our kernels against its answer.
    struct PeerCase {
        let request: [String: Any]
        let check: ([String: [Double]]) -> Void
    }

    /// Every case in float64 and float32, sent to PyTorch in one process.
    @Test func layersMatchPyTorch() throws {
        var cases: [PeerCase] = []
        for single in [false, true] {
            for index in Self.convolutions.indices {
                cases.append(try single ? convolutionCase(index, Float.self) : convolutionCase(index, Double.self))
            }
            for kind in ImageLayers.PoolKind.allCases {
                for (kernel, stride) in [(2, 2), (3, 2), (3, 3)] {
                    cases.append(try single ? poolingCase(kind, kernel, stride, Float.self) : poolingCase(kind, kernel, stride, Double.self))
                }
            }
            for training in [false, true] {
                cases.append(single ? batchNormCase(training, Float.self) : batchNormCase(training, Double.self))
            }
        }
        let answers = try Self.torch(cases.map(\.request))
        for (peerCase, answer) in zip(cases, answers) { peerCase.check(answer) }
    }

    func convolutionCase<T: ActivationScalar>(_ index: Int, _: T.Type) throws -> PeerCase {
        let spec = Self.convolutions[index]
        let geometry = try Convolution2D(
            input: try ImageShape(channels: spec.channels, height: spec.height, width: spec.width),
            outputChannels: spec.filters, kernelSize: spec.kernel, stride: spec.stride, padding: spec.padding)
        let batch = 3
        var generator = SeededGenerator(seed: UInt64(70 + index))
        let weight = Self.random(geometry.weightCount, &generator), bias = Self.random(spec.filters, &generator)
        let input = Self.random(batch * geometry.input.count, &generator)
        let gradient = Self.random(batch * geometry.output.count, &generator)
        let request: [String: Any] = [
            "kind": "conv", "dtype": T.self == Float.self ? "float32" : "float64", "batch": batch,
            "input_shape": [spec.channels, spec.height, spec.width], "filters": spec.filters,
            "kernel": spec.kernel, "stride": spec.stride, "padding": spec.padding.rawValue,
            "weight": weight, "bias": bias, "input": input, "grad_output": gradient,
        ]
        return PeerCase(request: request) { peer in
            let parameters = (weight + bias).map { T($0) }
            let output = ImageLayers.convolutionForward(geometry, batch: batch, parameters: parameters, input: input.map { T($0) })
            let (dp, dx) = ImageLayers.convolutionBackward(
                geometry, batch: batch, parameters: parameters, input: input.map { T($0) }, outputGradient: gradient.map { T($0) })
            let tolerance = Self.tolerance(T.self)
            #expect(Self.error(output, peer["output"]!) <= tolerance)
            #expect(Self.error(dx, peer["grad_input"]!) <= tolerance)
            #expect(Self.error(Array(dp[..<geometry.weightCount]), peer["grad_weight"]!) <= tolerance)
            #expect(Self.error(Array(dp[geometry.weightCount...]), peer["grad_bias"]!) <= tolerance)
        }
    }

    func poolingCase<T: ActivationScalar>(_ kind: ImageLayers.PoolKind, _ kernel: Int, _ stride: Int, _: T.Type) throws -> PeerCase {
        let geometry = try Pooling2D(input: try ImageShape(channels: 3, height: 9, width: 8), kernelSize: kernel, stride: stride)
        let batch = 2
        var generator = SeededGenerator(seed: UInt64(80 + kernel * 10 + stride))
        // Ties are likely among 4097 levels: the first maximum's convention is compared too.
        let input = Self.random(batch * geometry.input.count, &generator)
        let outputs = kind == .global ? 3 : geometry.output.count
        let gradient = Self.random(batch * outputs, &generator)
        let request: [String: Any] = [
            "kind": ["max": "maxpool", "average": "avgpool", "global": "gap"][kind.rawValue]!,
            "dtype": T.self == Float.self ? "float32" : "float64", "batch": batch, "input_shape": [3, 9, 8],
            "kernel": kernel, "stride": stride, "input": input, "grad_output": gradient,
        ]
        return PeerCase(request: request) { peer in
            let output = ImageLayers.poolForward(kind, geometry, batch: batch, input: input.map { T($0) })
            let dx = ImageLayers.poolBackward(kind, geometry, batch: batch, input: input.map { T($0) }, outputGradient: gradient.map { T($0) })
            #expect(Self.error(output, peer["output"]!) <= Self.tolerance(T.self))
            #expect(Self.error(dx, peer["grad_input"]!) <= Self.tolerance(T.self))
        }
    }

    func batchNormCase<T: ActivationScalar>(_ training: Bool, _: T.Type) -> PeerCase {
        let (channels, height, width, batch) = (4, 5, 6, 3)
        var generator = SeededGenerator(seed: training ? 90 : 91)
        let weight = Self.random(channels, &generator), bias = Self.random(channels, &generator)
        let mean = Self.random(channels, &generator), variance = Self.random(channels, &generator).map { abs($0) + 0.5 }
        let input = Self.random(batch * channels * height * width, &generator)
        let gradient = Self.random(input.count, &generator)
        let request: [String: Any] = [
            "kind": "batchnorm", "dtype": T.self == Float.self ? "float32" : "float64", "batch": batch,
            "input_shape": [channels, height, width], "training": training, "weight": weight, "bias": bias,
            "running_mean": mean, "running_var": variance, "input": input, "grad_output": gradient,
        ]
        return PeerCase(request: request) { peer in
            let parameters = (weight + bias).map { T($0) }, running = (mean + variance).map { T($0) }
            let forward = ImageLayers.batchNormForward(
                channels: channels, spatial: height * width, batch: batch, parameters: parameters,
                input: input.map { T($0) }, running: running, training: training)
            let (dp, dx) = ImageLayers.batchNormBackward(
                channels: channels, spatial: height * width, batch: batch, parameters: parameters,
                input: input.map { T($0) }, running: running, training: training, outputGradient: gradient.map { T($0) })
            let tolerance = Self.tolerance(T.self) * 4
            #expect(Self.error(forward.output, peer["output"]!) <= tolerance)
            #expect(Self.error(Array(forward.running[..<channels]), peer["running_mean"]!) <= tolerance)
            #expect(Self.error(Array(forward.running[channels...]), peer["running_var"]!) <= tolerance)
            #expect(Self.error(dx, peer["grad_input"]!) <= tolerance)
            #expect(Self.error(Array(dp[..<channels]), peer["grad_weight"]!) <= tolerance)
            #expect(Self.error(Array(dp[channels...]), peer["grad_bias"]!) <= tolerance)
        }
    }
}
