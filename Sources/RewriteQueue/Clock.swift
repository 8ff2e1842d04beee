import Foundation

/// Milliseconds since the Unix epoch: the unit of every timestamp in the job files.
public typealias Millis = Int64

public enum WallClock {
    public static func now() -> Millis { Millis((Date().timeIntervalSince1970 * 1000).rounded()) }
}
