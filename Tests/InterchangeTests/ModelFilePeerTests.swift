import Interchange
import Networks
import Testing

/// A model file written by the Python `safetensors` library with Rectifier's names and
/// metadata loads here with the values Python wrote.
@Suite struct ModelFilePeerTests {
    static let modelScript = PeerPython.root.appendingPathComponent("Tests/Peers/model_file_peer.py").path

    @Test func aFileWrittenByPythonLoads() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("python.safetensors")
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: 7, hiddenSizes: [5, 4], hiddenActivation: .fixed(.relu), outputSize: 3)
        try PeerPython.run(["write-model", path, architecture.jsonString], script: Self.modelScript)
        let read = try ModelFile.load(path)
        #expect(read.architecture == architecture)
        #expect(read.trainingState == nil)
        for info in architecture.parameterLayout.parameters {
            let expected = (0..<info.count).map { Float($0 % 7 - 3) / 8 }
            #expect(try read.model.parameters.tensor(named: info.name) == expected, "\(info.name)")
        }
    }
}
