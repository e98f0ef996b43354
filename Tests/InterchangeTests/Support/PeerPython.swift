import Foundation

/// The Python interop harnesses, `Tests/Peers/safetensors_peer.py` and `onnx_peer.py`, run
/// with the peer venv's python (`.build/venv`, made by `make peer-venv`; `RECTIFIER_PEER_PYTHON` overrides it).
/// A missing venv fails the test with the command that makes it: these checks are never
/// skipped silently.
enum PeerPython {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let script = root.appendingPathComponent("Tests/Peers/safetensors_peer.py").path
    static let onnxScript = root.appendingPathComponent("Tests/Peers/onnx_peer.py").path
    static let python = ProcessInfo.processInfo.environment["RECTIFIER_PEER_PYTHON"]
        ?? root.appendingPathComponent(".build/venv/bin/python").path

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs the harness `script` with `arguments`; returns its output, or throws it when the
    /// harness exits non-zero.
    @discardableResult
    static func run(_ arguments: [String], script: String = script) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "the Python peer venv is missing (\(python)): run `make peer-venv`, which makes .build/venv with the packages of Tests/Peers/requirements.txt")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python \(arguments.joined(separator: " ")) exited with status \(process.terminationStatus):\n\(text)")
        }
        return text
    }
}
