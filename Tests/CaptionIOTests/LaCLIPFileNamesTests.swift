import CaptionIO
import Foundation
import Testing

/// The export writes these names and training reads them back; both go through LaCLIPFileNames.
@Suite("LaCLIP file names")
struct LaCLIPFileNamesTests {
    @Test func imageExtensionsMatchLaCLIPsLoaderInAnyCase() {
        for path in ["a/b.png", "x.JPG", "y.jpeg", "z.JpEg"] {
            #expect(LaCLIPFileNames.hasImageExtension(path), "\(path)")
            #expect(Array(path.utf8).withUnsafeBufferPointer { LaCLIPFileNames.hasImageExtension($0) }, "\(path)")
        }
        for path in ["a.webp", "png", "a.png.txt", "a.pn", "", "a.jpgx"] {
            #expect(!LaCLIPFileNames.hasImageExtension(path), "\(path)")
            #expect(!Array(path.utf8).withUnsafeBufferPointer { LaCLIPFileNames.hasImageExtension($0) }, "\(path)")
        }
    }

    @Test func rewriteFilesAreNamedAfterTheCSVAndTheStyle() {
        let csv = URL(fileURLWithPath: "/data/train.csv")
        #expect(LaCLIPFileNames.rewriteFile(csv: csv, style: "chatgpt").path == "/data/train_chatgpt.txt")
        #expect(LaCLIPFileNames.rewriteStyle(fileName: "train_chatgpt.txt", csv: csv) == "chatgpt")
        #expect(LaCLIPFileNames.rewriteStyle(fileName: "train.keys.txt", csv: csv) == nil)
        #expect(LaCLIPFileNames.rewriteStyle(fileName: "other_chatgpt.txt", csv: csv) == nil)
        #expect(LaCLIPFileNames.rewriteStyle(fileName: "train_chatgpt.csv", csv: csv) == nil)
    }
}
