import Networks

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The choices that define a `rectifier train` run, saved in its checkpoints (metadata key
/// ``metadataKey``) so that `--resume` continues the same run.
struct TrainingRunSettings: Codable, Equatable {
    static let metadataKey = "train.settings"

    /// The hidden activation's spelling.
    var activation: String
    var hidden: [Int]
    /// The `--layers` specification, when it replaces `hidden`.
    var layers: String?
    var configuration: TrainingConfiguration
    var seed: UInt64
    /// Held-out training images (nil: a twelfth of the training set).
    var validationCount: Int?
    /// α of the running average of the weights (nil: none).
    var averageDecay: Double?
    /// The data flags (nil in files saved before they existed: the defaults).
    var data: DataChoices?
    /// The thread count of the run, for the bit-identity note on resume.
    var threads: Int
    /// The `--augment` spelling, as ``Augmentation/parse(_:)`` reads it (nil: none).
    var augment: String?

    var json: String { jsonLine(self) }

    /// The settings saved in `metadata`, or a failure naming `file`.
    static func saved(in metadata: [String: String], file: String) throws -> TrainingRunSettings {
        guard let text = metadata[metadataKey] else {
            throw CommandFailure("\(file): no '\(metadataKey)' metadata; only files saved by `rectifier train` can be resumed")
        }
        do {
            return try JSONDecoder().decode(TrainingRunSettings.self, from: Data(text.utf8))
        } catch {
            throw CommandFailure("\(file): metadata '\(metadataKey)' is not valid: \(String(describing: error).prefix(200))")
        }
    }
}
