import Activations
import Foundation
import Testing

/// The smooth descendants against PyTorch (`Tests/Peers/torch_peer.py`, CPU torch from the
/// peer venv, `make peer-venv`; `RECTIFIER_PEER_PYTHON` names another python): values and
/// autograd derivatives, Float kernels against torch.float32 and Double kernels against
/// torch.float64, on finite inputs from −30 to 30 and a few extremes.
///
/// PyTorch evaluates 1 + erf and 1 + tanh, which cancel in the left tail, and multiplies by
/// Float(λ) for selu, so the comparison allows a relative 2^-19 (Float) / 2^-40 (Double) or
/// an absolute 10⁻⁶ / 10⁻¹³. At ±∞ the two differ by convention: PyTorch gives NaN for
/// gelu(−∞), silu(−∞) and mish(−∞), Rectifier the limit −0.
@Suite struct TorchPeerTests {
    static let members = ["gelu", "gelu:tanh", "silu", "elu", "elu:alpha=0.5", "selu", "mish"]

    static var inputs: [Double] {
        var x = stride(from: -30.0, through: 30.0, by: 0.0625 * 1.03125).map { $0 }
        x += [0, -0.0, 1e-30, -1e-30, 1e-3, -1e-3, 1e3, -1e3, 88, -88, -0.7517916, -1.2784645, -1.1923771]
        return x.map { Double(Float($0)) }
    }

    @Test func valuesAndDerivativesMatchPyTorch() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let python = ProcessInfo.processInfo.environment["RECTIFIER_PEER_PYTHON"]
            ?? root.appendingPathComponent(".build/venv/bin/python").path
        try #require(
            FileManager.default.isExecutableFile(atPath: python),
            "the Python peer venv is missing (\(python)): run `make peer-venv`")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("torch-peer-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let x = Self.inputs
        let inputPath = directory.appendingPathComponent("inputs.txt").path
        let outputPath = directory.appendingPathComponent("outputs.txt").path
        try x.map { "\($0)" }.joined(separator: "\n").write(toFile: inputPath, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("Tests/Peers/torch_peer.py").path, inputPath, outputPath]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "torch_peer.py exited with \(process.terminationStatus)")

        var torch: [String: [(value: Double, derivative: Double)]] = [:]
        for line in try String(contentsOfFile: outputPath, encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: " ")
            torch["\(fields[0]) \(fields[1])", default: []].append((Double(String(fields[2]))!, Double(String(fields[3]))!))
        }
        for name in Self.members {
            let f = try Activation(parsing: name)
            let floats = x.map { Float($0) }
            let floatValues = f.forward(floats), floatSlopes = f.backward(input: floats, gradientOutput: floats.map { _ in 1 })
            let doubleValues = f.forward(x), doubleSlopes = f.backward(input: x, gradientOutput: x.map { _ in 1 })
            let expectedFloat = try #require(torch["\(name) float"]), expectedDouble = try #require(torch["\(name) double"])
            try #require(expectedFloat.count == x.count && expectedDouble.count == x.count)
            for i in x.indices {
                let cases: [(String, Double, Double, Double, Double)] = [
                    ("float value", Double(floatValues[i]), expectedFloat[i].value, 0x1p-19, 1e-6),
                    ("float derivative", Double(floatSlopes[i]), expectedFloat[i].derivative, 0x1p-19, 1e-6),
                    ("double value", doubleValues[i], expectedDouble[i].value, 0x1p-40, 1e-13),
                    ("double derivative", doubleSlopes[i], expectedDouble[i].derivative, 0x1p-40, 1e-13),
                ]
                for (what, ours, theirs, relative, absolute) in cases {
                    let difference = (ours - theirs).magnitude
                    #expect(
                        difference <= max(relative * theirs.magnitude, absolute),
                        "\(name) \(what) at x = \(x[i]): \(ours) vs PyTorch \(theirs)")
                }
            }
        }
    }
}
