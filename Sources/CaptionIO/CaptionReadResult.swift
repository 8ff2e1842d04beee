public enum CaptionReadResult: Sendable, Equatable {
    case record(CaptionRecord)
    case bad(BadRow)
}
