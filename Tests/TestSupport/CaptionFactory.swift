import Seeding

/// Generates web-alt-text-like captions for tests and benchmarks.
public enum CaptionFactory {
    static let subjects = [
        "person", "dog", "actor", "city", "beach", "car", "bride", "mountain", "team", "cat", "chef", "bird",
    ]
    static let verbs = ["walking on", "sitting near", "posing at", "running through", "looking at", "standing in"]
    static let places = [
        "the street", "a park", "the beach", "a stage", "the kitchen", "a forest", "the stadium", "a wedding",
    ]
    static let extras = ["", " stock photo", " -- illustration", " at sunset", " in winter", " during the event", " ."]

    public static func caption(_ i: Int) -> String {
        var g = SeededGenerator(seed: UInt64(i))
        let s = subjects[Int(g.next() % UInt64(subjects.count))]
        let v = verbs[Int(g.next() % UInt64(verbs.count))]
        let p = places[Int(g.next() % UInt64(places.count))]
        let e = extras[Int(g.next() % UInt64(extras.count))]
        return "\(s) \(v) \(p)\(e) \(i % 9973)"
    }

    /// A LaCLIP training CSV (`image_path,caption`, no header) of `count` rows.
    public static func laclipCSV(count: Int) -> String {
        var text = ""
        text.reserveCapacity(count * 60)
        for i in 0..<count { text += "images/\(i).jpg,\(caption(i))\n" }
        return text
    }
}
