import Foundation

/// How captions are split into shard files.
public enum Sharding: Sendable, Equatable, Codable {
    /// This many shards of (nearly) equal size.
    case count(Int)
    /// Shards of at most this many captions.
    case size(Int)

    public static let `default` = Sharding.size(50_000)

    /// Its form in job.sqlite's config table (kept so jobs made by earlier versions open).
    var stored: String {
        switch self {
        case .count(let n): "shards=\(n)"
        case .size(let n): "shard_size=\(n)"
        }
    }

    init?(stored: String) {
        if stored.hasPrefix("shards="), let n = Int(stored.dropFirst(7)) {
            self = .count(n)
        } else if stored.hasPrefix("shard_size="), let n = Int(stored.dropFirst(11)) {
            self = .size(n)
        } else {
            return nil
        }
    }
}

/// A job's settings, fixed when it is created: they decide what its stored draws and seeds mean.
public struct JobConfiguration: Sendable, Equatable, Codable {
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// Seeds every demonstration draw and request seed.
    public var seed: UInt64
    /// Identical captions are rewritten once and share their rewrites (`--dedup`).
    public var dedup: Bool
    public var sharding: Sharding
    public var createdAt: Millis

    public init(seed: UInt64, dedup: Bool, sharding: Sharding, createdAt: Millis = WallClock.now()) {
        formatVersion = Self.currentFormatVersion
        self.seed = seed
        self.dedup = dedup
        self.sharding = sharding
        self.createdAt = createdAt
    }

    /// The config table's rows. Keys and value spellings are those of every earlier version.
    var rows: [(key: String, value: String)] {
        [
            ("format_version", String(formatVersion)), ("seed", String(seed)), ("dedup", String(dedup)),
            ("sharding", sharding.stored), ("created_at", String(createdAt)),
        ]
    }

    init(rows: [String: String], file: String) throws {
        func value(_ key: String) throws -> String {
            guard let value = rows[key] else { throw QueueError(.corrupt, "\(file): the config table has no '\(key)'") }
            return value
        }
        func malformed(_ key: String, _ value: String) -> QueueError {
            QueueError(.corrupt, "\(file): config '\(key)' is '\(value)', which this version cannot read")
        }
        let version = try value("format_version")
        guard let formatVersion = Int(version), formatVersion <= Self.currentFormatVersion else {
            throw QueueError(
                .newerFormat,
                "\(file): job format version \(version) is newer than this laclip reads (\(Self.currentFormatVersion)); update laclip"
            )
        }
        self.formatVersion = formatVersion
        let seed = try value("seed")
        guard let parsed = UInt64(seed) else { throw malformed("seed", seed) }
        self.seed = parsed
        let dedup = rows["dedup"] ?? "false"
        guard let flag = Bool(dedup) else { throw malformed("dedup", dedup) }
        self.dedup = flag
        let sharding = rows["sharding"] ?? Sharding.default.stored
        guard let decoded = Sharding(stored: sharding) else { throw malformed("sharding", sharding) }
        self.sharding = decoded
        createdAt = rows["created_at"].flatMap { Millis($0) } ?? 0
    }
}
