import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

extension RectifierCommand {
    /// The process's arguments (without the program name) as strings, each checked to be
    /// UTF-8.
    ///
    /// Swift's `CommandLine.arguments` repairs bytes that are not UTF-8 with U+FFFD, so a
    /// file name such as `p\xff.svg` would silently become another name; such an argument is
    /// refused instead, before any work.
    /// - Throws: `ValidationError` (exit status 64) naming the argument by position, its
    ///   bytes that are not UTF-8 written as `\xFF`.
    public static func arguments(fromRaw raw: [[UInt8]]) throws -> [String] {
        try raw.enumerated().map { index, bytes in
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw ValidationError(
                    "argument \(index + 1) ('\(escaped(bytes))') is not valid UTF-8; give file names and values as UTF-8 text")
            }
            return text
        }
    }

    /// The raw bytes of the process's arguments, from `argv`.
    static var processArguments: [[UInt8]] {
        (1..<Int(CommandLine.argc)).map { index in
            guard let pointer = CommandLine.unsafeArgv[index] else { return [] }
            return Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
        }
    }

    /// `bytes` as text, each byte of an invalid sequence written as `\xHH`.
    private static func escaped(_ bytes: [UInt8]) -> String {
        var text = "", rest = bytes[...]
        while !rest.isEmpty {
            let valid = (1...min(4, rest.count)).reversed().first {
                String(validating: rest.prefix($0), as: UTF8.self) != nil
            }
            if let length = valid {
                text += String(decoding: rest.prefix(length), as: UTF8.self)
                rest = rest.dropFirst(length)
            } else {
                let byte = rest.first!
                text += "\\x" + String(byte, radix: 16, uppercase: true).padded(to: 2, alignedRight: true, with: "0")
                rest = rest.dropFirst()
            }
        }
        return text
    }
}
