/// Why a pax extended header could not be parsed (becomes a `.badHeader` TarError).
struct PaxParseFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
