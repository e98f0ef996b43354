import Activations
import Testing

@Suite struct SpellingTests {
    @Test(arguments: [
        "identity", "relu", "relu:derivative_at_zero=0.5", "leaky:0.01", "leaky:-1.0", "abs",
        "softplus", "softplus:beta=2.0", "softplus:beta=2.0,threshold=30.0", "sigmoid", "tanh",
        "gelu", "gelu:tanh", "silu", "elu", "elu:alpha=0.5", "selu", "mish",
    ])
    func canonicalSpellingsRoundTrip(text: String) throws {
        let parsed = try Activation(parsing: text)
        #expect(parsed.description == text)
        #expect(try Activation(parsing: parsed.description) == parsed)
    }

    @Test func alternativeSpellings() throws {
        #expect(try Activation(parsing: "leaky:-1") == Activation.leakyReLU(negativeSlope: -1))
        #expect(try Activation(parsing: "leaky") == .leakyReLU(LeakyReLU()))
        #expect(try Activation(parsing: "softplus:threshold=10,beta=3")
            == Activation.softplus(beta: 3, threshold: 10))
        #expect(try Activation(parsing: " tanh ") == .tanh)
        #expect(try Activation(parsing: "elu:alpha=1") == .elu)
        #expect(try Activation(parsing: "gelu:approximate=tanh") == .gelu(GELU(approximation: .tanh)))
        #expect(try Activation(parsing: "gelu:approximate=none") == .gelu)
    }

    @Test(arguments: [
        ("swish", "unknown activation"),
        ("elu:alpha=nan", "not allowed"),
        ("elu:alpha=inf", "not allowed"),
        ("elu:alpha=-inf", "not allowed"),
        ("elu:alpha=0", "not allowed"),
        ("elu:alpha=-1", "not allowed"),
        ("elu:alpha=", "cannot read parameters"),
        ("elu:1", "cannot read parameters"),
        ("gelu:erf", "cannot read parameters"),
        ("selu:alpha=1", "takes no parameters"),
        ("silu:1", "takes no parameters"),
        ("mish:", "takes no parameters"),
        ("leaky:abc", "cannot read parameters"),
        ("leaky:nan", "not allowed"),
        ("softplus:beta=0", "not allowed"),
        ("softplus:gamma=1", "cannot read parameters"),
        ("softplus:beta=1,beta=2", "cannot read parameters"),
        ("relu:3", "cannot read parameters"),
        ("tanh:1", "takes no parameters"),
    ])
    func badSpellingsGiveOneLineErrors(text: String, message: String) {
        do {
            _ = try Activation(parsing: text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }
}
