import Activations
import Networks
import Testing

@Suite struct ArchitectureTests {
    @Test func perceptronLayersAndParameterNames() throws {
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: 784, hiddenSizes: [256, 128], hiddenActivation: try HiddenActivation(parsing: "prelu"), outputSize: 10)
        #expect(architecture.layers.count == 5)
        let layout = architecture.parameterLayout
        #expect(layout.parameters.map(\.name) == [
            "layers.0.weight", "layers.0.bias", "layers.1.slopes", "layers.2.weight", "layers.2.bias",
            "layers.3.slopes", "layers.4.weight", "layers.4.bias",
        ])
        #expect(layout.parameters.map(\.shape) == [[256, 784], [256], [256], [128, 256], [128], [128], [10, 128], [10]])
        #expect(layout.parameters.map(\.weightDecay) == [true, true, false, true, true, false, true, true])
        #expect(layout.count == 784 * 256 + 256 + 256 + 256 * 128 + 128 + 128 + 128 * 10 + 10)
        #expect(layout.parameters[0].offset == 0)
        for (previous, next) in zip(layout.parameters, layout.parameters.dropFirst()) {
            #expect(next.offset == previous.offset + previous.count)
        }
    }

    @Test(arguments: [
        "relu", "prelu", "prelu:init=0.1", "prelu:shared", "prelu:shared,init=0.1,decay", "leaky:0.01",
        "softplus:beta=2.0",
    ])
    func jsonRoundTrip(hidden: String) throws {
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: 5, hiddenSizes: [4, 3], hiddenActivation: try HiddenActivation(parsing: hidden), outputSize: 2)
        let decoded = try Architecture(json: architecture.jsonString)
        #expect(decoded == architecture)
        #expect(decoded.parameterLayout == architecture.parameterLayout)
        #expect(!architecture.jsonString.contains("\n"))
    }

    @Test func customStackRoundTrips() throws {
        let architecture = try Architecture(layers: [
            .dense(inputs: 3, outputs: 4), .activation(.tanh, width: 4),
            .prelu(try PReLUOptions(shared: true, initialSlope: -0.5), width: 4), .dense(inputs: 4, outputs: 1),
        ])
        #expect(try Architecture(json: architecture.jsonString) == architecture)
        #expect(architecture.hiddenSizes == nil)
    }

    @Test(arguments: [
        ("{", "architecture json"),
        (#"{"layers":[]}"#, "layers: the list is empty"),
        (#"{"layers":[{"type":"conv","inputs":1,"outputs":1}]}"#, "architecture json"),
        (#"{"layers":[{"type":"dense","inputs":2,"outputs":3},{"type":"dense","inputs":4,"outputs":1}]}"#, "layers.1"),
        (#"{"layers":[{"type":"dense","inputs":0,"outputs":3}]}"#, "layers.0"),
        (#"{"layers":[{"type":"activation","activation":"swish","width":3}]}"#, "unknown activation"),
        (#"{"layers":[{"type":"dense","inputs":2,"outputs":1}],"hidden_sizes":[3],"hidden_activation":"relu"}"#,
         "do not match"),
    ])
    func badJSONIsATypedError(json: String, message: String) {
        #expect {
            try Architecture(json: json)
        } throws: { error in
            let text = (error as? NetworkError)?.description ?? ""
            return text.contains(message) && !text.contains("\n")
        }
    }

    @Test(arguments: [
        ([Int](), "hidden sizes: the list is empty"), ([4, 0], "hidden sizes: width 0"),
    ])
    func badPerceptrons(hidden: [Int], message: String) {
        #expect {
            try Architecture.multilayerPerceptron(inputSize: 3, hiddenSizes: hidden, hiddenActivation: .fixed(.relu), outputSize: 2)
        } throws: { "\($0)".contains(message) }
    }

    @Test func hiddenActivationSpellings() throws {
        #expect(try HiddenActivation(parsing: "prelu") == .prelu(try PReLUOptions()))
        #expect(try HiddenActivation(parsing: "prelu:init=0.1,shared")
            == .prelu(try PReLUOptions(shared: true, initialSlope: 0.1)))
        #expect(try HiddenActivation(parsing: "PReLU:decay") == .prelu(try PReLUOptions(weightDecay: true)))
        #expect(try HiddenActivation(parsing: "tanh") == .fixed(.tanh))
        #expect(try HiddenActivation(parsing: "prelu:decay,shared,init=0.1").description == "prelu:shared,init=0.1,decay")
    }

    @Test(arguments: [
        ("prelu:foo", "unknown option"), ("prelu:init=x", "init must be a finite number"),
        ("prelu:init=nan", "init must be a finite number"), ("prelu:shared,shared", "given twice"),
        ("prelu:", "unknown option"), ("preluX", "unknown activation"), ("swish", "unknown activation"),
        ("leaky:abc", "cannot read parameters"),
    ])
    func badSpellingsAreTypedErrors(text: String, message: String) {
        #expect {
            try HiddenActivation(parsing: text)
        } throws: { error in
            let description = (error as? NetworkError)?.description ?? ""
            return description.contains(message) && description.contains(text) && !description.contains("\n")
        }
    }
}
