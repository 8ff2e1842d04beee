import Foundation
import Seeding
import Tar
import TestSupport
import Testing

/// Raw-copy speed against `cp` on about 1 GB of shards shaped like img2dataset's (a ~50 KB
/// image, a caption and a JSON per sample). Too slow for every run: set LACLIP_TAR_BENCH=1.
@Suite(
    "Raw copy throughput",
    .enabled(if: ProcessInfo.processInfo.environment["LACLIP_TAR_BENCH"] == "1", "set LACLIP_TAR_BENCH=1"))
struct RawCopyThroughputTests {
    typealias T = TarTestSupport

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    @Test("appendRaw of every record is at least half as fast as cp (asserted in release builds)")
    func throughput() throws {
        let dir = try TemporaryDirectory("laclip-tar-bench")
        var generator = SeededGenerator(seed: 1)
        let image = T.randomBytes(200_000, &generator)
        var shards: [URL] = []
        var total: Int64 = 0
        for shard in 0..<8 {
            let url = dir.path(String(format: "%05d.tar", shard))
            let writer = try TarWriter(path: url.path, syncOnFinish: false)
            for index in 0..<2_500 {
                let key = String(format: "%05d%04d", shard, index)
                let size = 20_000 + Int(generator.next() % 60_000)
                try writer.append(name: key + ".jpg", data: Array(image[(index % 100)..<(index % 100 + size)]))
                try writer.append(name: key + ".txt", data: Array("a caption for sample \(key)".utf8))
                try writer.append(name: key + ".json", data: Array("{\"key\": \"\(key)\", \"width\": 256}".utf8))
            }
            try writer.finish()
            total += writer.bytesWritten
            shards.append(url)
        }
        let megabytes = Double(total) / 1e6
        let cp = URL(fileURLWithPath: "/bin/cp")

        func runCp(_ tag: String) throws -> Double {
            let out = dir.path("cp-\(tag)")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let time = try Self.seconds {
                for shard in shards {
                    _ = try ProcessRunner.run(
                        cp, [shard.path, out.appendingPathComponent(shard.lastPathComponent).path])
                }
            }
            try FileManager.default.removeItem(at: out)
            return time
        }
        func runOurs(_ method: TarRawCopyMethod, _ tag: String) throws -> Double {
            let out = dir.path("ours-\(tag)")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let time = try Self.seconds {
                for shard in shards {
                    let reader = try TarReader(path: shard.path, displayName: shard.lastPathComponent)
                    let writer = try TarWriter(
                        path: out.appendingPathComponent(shard.lastPathComponent).path,
                        syncOnFinish: false, copyMethod: method)
                    while let entry = try reader.next() { try writer.appendRaw(from: reader, entry: entry) }
                    try writer.finish()
                }
            }
            try FileManager.default.removeItem(at: out)
            return time
        }

        var results: [String: [Double]] = [:]
        for round in 0..<3 {
            results["cp", default: []].append(try runCp("\(round)"))
            results["automatic", default: []].append(try runOurs(.automatic, "a\(round)"))
            results["buffered", default: []].append(try runOurs(.buffered, "b\(round)"))
        }
        let best = results.mapValues { $0.min() ?? 0 }
        for (name, time) in best.sorted(by: { $0.key < $1.key }) {
            print(
                "raw copy \(name): \(String(format: "%.3f", time)) s, \(String(format: "%.0f", megabytes / time)) MB/s over \(String(format: "%.0f", megabytes)) MB, 75000 records"
            )
        }
        let cpTime = try #require(best["cp"])
        let ours = try #require(best["automatic"])
        #if DEBUG
            // A debug build measures Swift's unoptimized header parsing, not the copy.
            print("debug build: not asserting; appendRaw \(ours) s, cp \(cpTime) s")
        #else
            #expect(ours <= 2 * cpTime, "appendRaw took \(ours) s, cp \(cpTime) s")
        #endif
    }
}
