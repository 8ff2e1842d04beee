import Foundation

extension StatusReport {
    /// snake_case keys, sorted, so that the output is stable byte for byte.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    public func json() throws -> String { String(decoding: try Self.encoder.encode(self), as: UTF8.self) }
}
