import Activations
import Testing

@Suite struct SpellingTests {
    @Test(arguments: [
        "identity", "relu", "relu:derivative_at_zero=0.5", "leaky:0.01", "leaky:-1.0", "abs",
        "softplus", "softplus:beta=2.0", "softplus:beta=2.0,threshold=30.0", "sigmoid", "tanh",
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
    }

    @Test(arguments: [
        ("swish", "unknown activation"),
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
