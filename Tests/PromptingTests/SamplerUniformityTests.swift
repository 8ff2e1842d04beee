import Seeding
import Testing

@testable import Prompting

/// Draws are uniform: every demonstration, every demonstration in every prompt position, and
/// every 3-of-16 combination come up about equally often, judged by a chi-square bound that
/// the biased samplers below fail.
@Suite struct SamplerUniformityTests {
    static let units = 16
    static let combinations = 560 // 16 choose 3
    static let draws = combinations * 100

    struct Statistics {
        var perDemonstration: Double
        var perPosition: [Double]
        var perCombination: Double

        func withinBounds(units: Int, combinations: Int) -> Bool {
            perDemonstration <= chiSquareBound(cells: units)
                && perPosition.allSatisfy { $0 <= chiSquareBound(cells: units) }
                && perCombination <= chiSquareBound(cells: combinations)
        }
    }

    /// Chi-square statistics of ordered 3-draws over `units` values.
    static func statistics(_ draws: [[Int]], units: Int) -> Statistics {
        var perDemonstration = Array(repeating: 0, count: units)
        var perPosition = Array(repeating: Array(repeating: 0, count: units), count: 3)
        var perCombination: [Int: Int] = [:]
        for ids in draws {
            precondition(ids.count == 3 && Set(ids).count == 3)
            for (position, id) in ids.enumerated() {
                perDemonstration[id] += 1
                perPosition[position][id] += 1
            }
            let sorted = ids.sorted()
            perCombination[(sorted[0] * units + sorted[1]) * units + sorted[2], default: 0] += 1
        }
        let combinationCells = units * (units - 1) * (units - 2) / 6
        let observed =
            Array(perCombination.values) + Array(repeating: 0, count: combinationCells - perCombination.count)
        return Statistics(
            perDemonstration: chiSquare(perDemonstration),
            perPosition: perPosition.map(chiSquare),
            perCombination: chiSquare(observed))
    }

    @Test func pairDrawsAreUniform() throws {
        let chatgpt = try #require(try RepositoryFiles.bundledLibrary().sources["chatgpt"])
        let draws = (0..<Self.draws).map {
            DemonstrationSampler.draw(from: chatgpt, jobSeed: 2024, captionID: Int64($0)).ids
        }
        let statistics = Self.statistics(draws, units: Self.units)
        #expect(statistics.withinBounds(units: Self.units, combinations: Self.combinations), "\(statistics)")
        // Every combination occurs (100 expected each); a draw that never picked some would fail.
        let combinations = Set(draws.map { $0.sorted() })
        #expect(combinations.count == Self.combinations)
    }

    @Test func cocoDrawsDistinctScenesUniformlyAndNeverPairsACaptionWithItself() throws {
        let coco = try #require(try RepositoryFiles.bundledLibrary().sources["coco"])
        var scenesPerDraw: [[Int]] = []
        var captionPairs = Array(repeating: 0, count: 25)
        var perDemonstration = Array(repeating: 0, count: coco.demonstrationCount)
        for captionID in 0..<Self.draws {
            let ids = DemonstrationSampler.draw(from: coco, jobSeed: 2024, captionID: Int64(captionID)).ids
            var scenes: [Int] = []
            for id in ids {
                perDemonstration[id] += 1
                let scene = coco.group(containing: id)
                scenes.append(scene)
                let demonstration = try #require(coco.demonstration(id: id))
                let captions = coco.groups[scene].captions
                let input = try #require(captions.firstIndex(of: demonstration.input))
                let output = try #require(captions.firstIndex(of: demonstration.output))
                #expect(input != output)
                captionPairs[input * 5 + output] += 1
            }
            scenesPerDraw.append(scenes)
        }
        let scenes = Self.statistics(scenesPerDraw, units: Self.units)
        #expect(scenes.withinBounds(units: Self.units, combinations: Self.combinations), "\(scenes)")
        // The 5 diagonal cells (a caption with itself) stay empty; the other 20 are uniform.
        let diagonal = (0..<5).map { captionPairs[$0 * 6] }
        #expect(diagonal == [0, 0, 0, 0, 0])
        let offDiagonal = captionPairs.enumerated().filter { $0.offset % 6 != 0 }.map(\.element)
        #expect(chiSquare(offDiagonal) <= chiSquareBound(cells: 20))
        #expect(chiSquare(perDemonstration) <= chiSquareBound(cells: coco.demonstrationCount))
        #expect(perDemonstration.allSatisfy { $0 > 0 })
    }

    // MARK: The bound has teeth: plausible sampler bugs fail it.

    /// Reduces a few random bits modulo the range (modulo bias).
    static func moduloBiasedDraw(_ generator: inout SplitMix64) -> [Int] {
        var remaining = Array(0..<units)
        return (0..<3).map { _ in remaining.remove(at: Int(generator.next() >> 59) % remaining.count) }
    }

    /// The naive shuffle that swaps each position with any position, then takes three.
    static func naiveShuffleDraw(_ generator: inout SplitMix64) -> [Int] {
        var values = Array(0..<units)
        for index in values.indices {
            values.swapAt(index, generator.next(below: units))
        }
        return Array(values.prefix(3))
    }

    /// Correct distinct values, but returned sorted: combinations fine, positions not.
    static func sortedDraw(_ generator: inout SplitMix64) -> [Int] {
        var values = Array(0..<units)
        for index in 0..<3 {
            values.swapAt(index, index + generator.next(below: units - index))
        }
        return Array(values.prefix(3)).sorted()
    }

    @Test(arguments: ["modulo", "naive-shuffle", "sorted"])
    func biasedSamplersFailTheBound(kind: String) {
        var generator = SplitMix64(seed: 77)
        let draws: [[Int]] = (0..<Self.draws).map { _ in
            switch kind {
            case "modulo": Self.moduloBiasedDraw(&generator)
            case "naive-shuffle": Self.naiveShuffleDraw(&generator)
            default: Self.sortedDraw(&generator)
            }
        }
        let statistics = Self.statistics(draws, units: Self.units)
        #expect(!statistics.withinBounds(units: Self.units, combinations: Self.combinations), "\(kind): \(statistics)")
    }

    /// The same generator with a correct algorithm passes, so the failures above come from the
    /// bias and not from the generator or the test.
    @Test func anUnbiasedReferenceSamplerPasses() {
        var generator = SplitMix64(seed: 77)
        let draws: [[Int]] = (0..<Self.draws).map { _ in
            var values = Array(0..<Self.units)
            for index in 0..<3 {
                values.swapAt(index, index + generator.next(below: Self.units - index))
            }
            return Array(values.prefix(3))
        }
        let statistics = Self.statistics(draws, units: Self.units)
        #expect(statistics.withinBounds(units: Self.units, combinations: Self.combinations), "\(statistics)")
    }
}
