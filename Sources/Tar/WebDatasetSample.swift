/// Consecutive members sharing one webdataset key, in archive order.
public struct WebDatasetSample: Sendable, Hashable {
    public var key: String
    public var members: [WebDatasetMember]

    public init(key: String, members: [WebDatasetMember]) {
        self.key = key
        self.members = members
    }

    public func member(withExtension fileExtension: String) -> WebDatasetMember? {
        members.first { $0.fileExtension == fileExtension }
    }
}
