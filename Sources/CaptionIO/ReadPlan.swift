/// How the reader turns bytes into records, as decided by `LayoutDetector`.
enum ReadPlan {
    struct Delimited {
        var delimiter: UInt8
        var hasHeader: Bool
        var captionIndex: Int
        var imageIndex: Int?
        var idIndex: Int?
        /// Names used in bad-row messages, e.g. "title" or "column 1".
        var captionLabel: String
        var imageLabel: String?
        var idLabel: String?
    }

    struct JSONLines {
        var captionKey: String
        var imageKey: String?
        var idKey: String?
    }

    case delimited(Delimited)
    case jsonLines(JSONLines)
    case text
}
