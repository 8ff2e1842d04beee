import Foundation
import Seeding
import TestSupport
import Testing

@testable import Ingest

/// The manifest's SHA-256 against coreutils' `sha256sum`, across the 1 MiB read chunks.
@Suite struct FileChecksumTests {
    @Test(arguments: [0, 1, 1 << 20, 3 * (1 << 20) + 17])
    func matchesSha256sum(bytes: Int) throws {
        let dir = try TemporaryDirectory("laclip-checksum")
        var rng = SeededGenerator(seed: UInt64(bytes))
        let file = dir.path("data.bin")
        try Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &rng) }).write(to: file)
        let reference = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sha256sum"), [file.path])
        try #require(reference.status == 0, "\(reference)")
        let checksum = try FileChecksum.sha256(of: file)
        #expect(checksum.hex == reference.stdout.split(separator: " ").first.map(String.init))
        #expect(checksum.bytes == Int64(bytes))
    }
}
