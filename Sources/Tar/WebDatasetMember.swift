/// One file of a webdataset sample: the tar entry and its field name in the sample.
public struct WebDatasetMember: Sendable, Hashable {
    public var entry: TarEntry
    /// Lowercased, as webdataset keys the sample dictionary (`jpg`, `txt`, `json`, `tar.gz`…).
    public var fileExtension: String

    public init(entry: TarEntry, fileExtension: String) {
        self.entry = entry
        self.fileExtension = fileExtension
    }
}
