/// The version `rectifier --version` prints; the one place it is written.
public let rectifierVersion = "0.1.0"
