/// How laclip writes a span of time for people (ETAs, heartbeats, training time left): whole
/// seconds rounded, then the two largest units, `42s`, `3m07s`, `2h05m`, `3d4h`.
public enum DurationText {
    /// "?" for a span that cannot be known (no rate yet: infinite or NaN); negative spans are 0s.
    public static func format(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(max(0, seconds).rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(twoDigits(s % 60))s" }
        if s < 86400 { return "\(s / 3600)h\(twoDigits(s / 60 % 60))m" }
        return "\(s / 86400)d\(s / 3600 % 24)h"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
