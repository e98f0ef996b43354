#if canImport(Glibc)
import Glibc
#endif

/// Reads a long list of values from a file or standard input in one pass, in blocks: the
/// values are separated by spaces, tabs, commas or line ends, and handed on one at a time
/// with their line number, so the time is linear and the memory one block.
struct NumberListReader {
    /// The longest value accepted, in bytes: a file without separators (`/dev/zero`) is
    /// refused at once rather than read into one token.
    static let maximumValueLength = 4096

    /// The file, or `-` for standard input.
    let path: String
    /// The flag naming it in messages.
    let flag: String

    /// Calls `body` with each value and its line (from 1).
    /// - Throws: ``CommandFailure`` naming the flag and path when the file cannot be opened
    ///   or read, or holds a value longer than ``maximumValueLength``; what `body` throws.
    func forEachValue(_ body: (String, Int) throws -> Void) throws {
        let descriptor = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(String(cString: strerror(errno))) }
        defer { if descriptor != 0 { close(descriptor) } }
        var block = [UInt8](repeating: 0, count: 1 << 16)
        var token: [UInt8] = [], line = 1, tokenLine = 1
        func finishToken() throws {
            guard !token.isEmpty else { return }
            try body(String(decoding: token, as: UTF8.self), tokenLine)
            token.removeAll(keepingCapacity: true)
        }
        while true {
            let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(String(cString: strerror(errno)))
            }
            if count == 0 { break }
            for byte in block[..<count] {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: ","):
                    try finishToken()
                case UInt8(ascii: "\n"):
                    try finishToken()
                    line += 1
                default:
                    if token.isEmpty { tokenLine = line }
                    guard token.count < Self.maximumValueLength else {
                        throw failure("line \(tokenLine): a value longer than \(Self.maximumValueLength) bytes")
                    }
                    token.append(byte)
                }
            }
        }
        try finishToken()
    }

    /// A failure naming the flag and the source.
    func failure(_ reason: String) -> CommandFailure {
        CommandFailure("\(flag) \(path == "-" ? "- (standard input)" : path): \(reason)")
    }
}
