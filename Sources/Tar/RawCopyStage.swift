/// The copy mechanism a writer currently uses; it only moves down the list when the kernel
/// or filesystem refuses one, and remembers that for later records.
enum RawCopyStage {
    case copyFileRange
    case sendFile
    case buffered
}
