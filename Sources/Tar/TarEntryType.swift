/// What a member is, from its header's type flag. Extended-header types (`x`, `g`, `L`, `K`)
/// never appear here: the reader folds them into the member they describe.
public enum TarEntryType: Sendable, Hashable {
    /// Type `0`, NUL (old v7) and `7` (contiguous file, which every reader treats as regular).
    case regularFile
    case hardLink
    case symbolicLink
    case characterDevice
    case blockDevice
    case directory
    case fifo
    /// Old GNU sparse file (`S`): its data is yielded as stored, holes not expanded.
    case gnuSparse
    /// Anything else (GNU dumpdir `D`, volume label `V`, multi-volume `M`, vendor types):
    /// its data, if any, is skipped like a regular file's.
    case other(typeFlag: UInt8)

    init(typeFlag: UInt8) {
        switch typeFlag {
        case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): self = .regularFile
        case UInt8(ascii: "1"): self = .hardLink
        case UInt8(ascii: "2"): self = .symbolicLink
        case UInt8(ascii: "3"): self = .characterDevice
        case UInt8(ascii: "4"): self = .blockDevice
        case UInt8(ascii: "5"): self = .directory
        case UInt8(ascii: "6"): self = .fifo
        case UInt8(ascii: "S"): self = .gnuSparse
        default: self = .other(typeFlag: typeFlag)
        }
    }

    /// Links, devices, directories and FIFOs have no data blocks whatever their size field
    /// says (Python's tarfile and GNU tar agree); every other type is followed by `size` bytes.
    var hasDataBlocks: Bool {
        switch self {
        case .hardLink, .symbolicLink, .characterDevice, .blockDevice, .directory, .fifo: false
        case .regularFile, .gnuSparse, .other: true
        }
    }
}
