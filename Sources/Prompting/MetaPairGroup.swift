/// Captions of one imagined image (the COCO source): any two distinct captions of a group form
/// a demonstration, one as the input and the other as the output.
public struct MetaPairGroup: Sendable, Equatable {
    public var label: String
    public var captions: [String]
    /// 1-based line of the `[label]` header.
    public var line: Int

    public init(label: String, captions: [String], line: Int) {
        self.label = label
        self.captions = captions
        self.line = line
    }

    /// Ordered (input, output) pairs of distinct captions.
    public var demonstrationCount: Int { captions.count * (captions.count - 1) }
}
