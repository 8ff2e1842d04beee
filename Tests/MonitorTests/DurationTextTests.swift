import Monitor
import Testing

@Suite("DurationText")
struct DurationTextTests {
    @Test(arguments: [
        (0.0, "0s"), (-3, "0s"), (59.4, "59s"), (59.6, "1m00s"), (187, "3m07s"), (3599, "59m59s"),
        (3600, "1h00m"), (7500, "2h05m"), (86399, "23h59m"), (86400, "1d0h"), (273_600, "3d4h"),
        (.infinity, "?"), (.nan, "?"),
    ])
    func twoLargestUnitsOfRoundedSeconds(seconds: Double, text: String) {
        #expect(DurationText.format(seconds) == text)
    }
}
