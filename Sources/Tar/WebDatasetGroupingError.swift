/// A shard webdataset itself refuses to read: one sample has two members with the same
/// (lowercased) extension, e.g. `0001.jpg` and `0001.JPG` next to each other.
public struct WebDatasetGroupingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var key: String
    public var fileExtension: String
    public var offset: Int64

    public init(file: String, key: String, fileExtension: String, offset: Int64) {
        self.file = file
        self.key = key
        self.fileExtension = fileExtension
        self.offset = offset
    }

    public var description: String {
        "\(file): offset \(offset): sample \(key) has a second member with extension \(fileExtension)"
    }
}
