import Testing

@testable import Prompting

@Suite struct DemonstrationDrawTests {
    @Test func packedRoundTripsAndOrdersByFirstDemonstration() {
        let draw = DemonstrationDraw(ids: [5, 0, 15])
        #expect(draw.ids == [5, 0, 15])
        #expect(draw.count == 3)
        #expect(draw.packed == (3 << 60) | (5 << 40) | (0 << 20) | 15)
        #expect(DemonstrationDraw(packed: draw.packed) == draw)
        #expect(DemonstrationDraw(packed: draw.packed).ids == [5, 0, 15])
        #expect(DemonstrationDraw(ids: [5, 0, 15]).packed == draw.packed)
        #expect(DemonstrationDraw(ids: [5, 15, 0]).packed != draw.packed, "order matters: it changes the prompt")
        #expect(DemonstrationDraw(ids: [4, 19, 319]).packed < DemonstrationDraw(ids: [5, 0, 0]).packed)
        #expect(draw.packed > 0)
    }

    @Test(arguments: 1...DemonstrationDraw.maximumCount)
    func everyCountRoundTripsAtItsLimits(count: Int) {
        let largest = DemonstrationDraw.maximumID(count: count)
        for ids in [
            Array(repeating: 0, count: count), Array(repeating: largest, count: count),
            (0..<count).map { $0 * 7 % (largest + 1) },
        ] {
            let draw = DemonstrationDraw(ids: ids)
            #expect(draw.ids == ids)
            #expect(draw.packed >= 0)
            #expect(DemonstrationDraw(packed: draw.packed).ids == ids)
        }
    }

    @Test func arbitraryStoredValuesDecodeToCanonicalDraws() {
        // Bit 63 and the bits a 7-id draw does not use are ignored.
        let noisy = DemonstrationDraw(
            packed: Int64(bitPattern: 0xF000_0000_0000_0000 | (7 << 60) | 0x0F00_0000_0000_0001))
        #expect(noisy.count == 7)
        #expect(noisy.ids == [0, 0, 0, 0, 0, 0, 1])
        #expect(DemonstrationDraw(packed: noisy.packed) == noisy)
        #expect(DemonstrationDraw(packed: 0).ids == [])
        #expect(DemonstrationDraw(packed: 12345).ids == [])
    }

    @Test func allDrawsOfABundledSourceRoundTrip() throws {
        let coco = try #require(try RepositoryFiles.bundledLibrary().sources["coco"])
        for captionID in Int64(0)..<2000 {
            let draw = DemonstrationSampler.draw(from: coco, jobSeed: 11, captionID: captionID)
            #expect(DemonstrationDraw(packed: draw.packed) == draw)
            #expect(DemonstrationDraw(ids: draw.ids) == draw)
        }
    }
}
