/// Member names come from the archive and may be hostile; nothing may use one as a
/// filesystem path without asking here first.
public enum TarMemberName {
    /// True when `name` stays inside whatever directory it is joined to: not empty, no NUL,
    /// not absolute, no `..` component, and at least one component that is not `.`
    /// (so it names something below the directory, not the directory itself).
    /// A single trailing slash (directories) and `./` components are allowed.
    public static func isSafeRelativePath(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, !bytes.contains(0), bytes.first != UInt8(ascii: "/") else { return false }
        var namesSomething = false
        for component in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if component.elementsEqual("..".utf8) { return false }
            if !component.isEmpty && !component.elementsEqual(".".utf8) { namesSomething = true }
        }
        return namesSomething
    }
}
