import Testing

@testable import Prompting

@Suite struct CompletionValidatorTests {
    let validator = CompletionValidator()
    let input = "person walking the dog on a rainy street"
    let outputs = [
        "A person in a yellow raincoat strolls with a happy dog along a glistening, rain-soaked city street.",
        "A smiling actor steps onto the glittering red carpet at a film premiere as camera flashes burst all around.",
        "Dozens of colorful hot air balloons drift lazily over a green valley in the calm morning sky.",
    ]

    func check(_ completion: String) -> Result<String, RejectionReason> {
        validator.validate(completion, input: input, demonstrationOutputs: outputs)
    }

    @Test func parsingKeepsTheFirstLineAndTrims() {
        #expect(
            CompletionValidator.parse(" A man walks his dog through the rain.\n\nskyline at dusk => The city")
                == "A man walks his dog through the rain.")
        #expect(CompletionValidator.parse("=> A man walks his dog.") == "A man walks his dog.")
        #expect(CompletionValidator.parse("  \"A man walks his dog.\"  ") == "A man walks his dog.")
        #expect(CompletionValidator.parse("\u{201C}A man walks his dog.\u{201D}") == "A man walks his dog.")
        #expect(CompletionValidator.parse("=> 'A man walks his dog.'\r\nmore") == "A man walks his dog.")
        #expect(CompletionValidator.parse("\"big\" and \"small\" dogs") == "\"big\" and \"small\" dogs")
        #expect(CompletionValidator.parse("\"big\" and \"small\"") == "\"big\" and \"small\"")
        #expect(CompletionValidator.parse("\nA man walks his dog.") == "")
    }

    @Test(arguments: [
        "A man in a dark coat walks his terrier down a wet, shiny street in the rain.",
        " A woman and her dog hurry along a rain-soaked sidewalk under a red umbrella.\nbridge at dusk => A bridge.",
        "=> \"Rain pours as a person leads a small dog past glowing shop windows.\"",
        "Dog walk.",
    ])
    func goodCompletionsAreAccepted(completion: String) {
        let result = check(completion)
        #expect(result == .success(CompletionValidator.parse(completion)))
    }

    @Test(arguments: [
        ("", RejectionReason.empty),
        ("   \n A man walks his dog.", .empty),
        ("\"\"", .empty),
        ("Rain.", .tooFewWords),
        ("rainy - ...", .tooFewWords),
        (Array(repeating: "A long walk in the rain with a dog,", count: 4).joined(separator: " "), .repetition),
        ((1...78).map { "word\($0)" }.joined(separator: " "), .tooManyWords),
        ("Person walking the dog on a rainy street.", .sameAsInput),
        ("PERSON, walking the dog -- on a rainy street!", .sameAsInput),
        (
            "A person in a yellow raincoat strolls with a happy dog along a glistening, rain-soaked city street.",
            .copiesDemonstration
        ),
        (
            "dozens of colorful hot-air balloons drift lazily over a green valley in the calm morning sky",
            .copiesDemonstration
        ),
        ("A dog dog dog dog dog dog dog dog", .repetition),
        ("A man walks his dog in the rain in the rain in the rain", .repetition),
        ("a dog and a leash a dog and a leash a dog and a leash", .repetition),
        ("A wet dog on the street, a wet dog on the corner, a wet dog on the stairs", .repetition),
        ("A man walks his dog in the rain => A man walks", .containsArrow),
        ("A man walks his dog \u{FFFD} in the rain.", .invalidUTF8),
        ("A man walks his\u{0} dog in the rain.", .invalidUTF8),
    ])
    func badCompletionsAreRejectedWithTheirReason(completion: String, reason: RejectionReason) {
        #expect(check(completion) == .failure(reason))
    }

    @Test func wordLimitsAreInclusive() {
        let seventySeven = (1...77).map { "word\($0)" }.joined(separator: " ")
        #expect(check(seventySeven) == .success(seventySeven))
        #expect(check("Wet dog.") == .success("Wet dog."))
    }

    @Test func repetitionIsNotFlaggedForOrdinaryCaptions() {
        let ordinary = [
            "A dog and a cat and a bird sit on a bench.",
            "A red car, a red bus and a red bike wait at the light.",
            "Two girls in white dresses and two boys in white shirts pose on the steps of the church.",
            "Bye bye summer: a beach towel left on an empty beach.",
        ]
        for caption in ordinary {
            #expect(check(caption) == .success(caption), "\(caption)")
        }
    }

    @Test func rawBytesAreDecodedUpToTheFirstLineBreak() {
        let good = Array("A man walks his dog in the rain.\n".utf8) + [0xFF, 0xFE]
        #expect(
            validator.validate(bytes: good, input: input, demonstrationOutputs: outputs)
                == .success("A man walks his dog in the rain."))
        let latin1: [UInt8] = Array("A caf".utf8) + [0xE9] + Array(" with a dog outside.".utf8)
        #expect(
            validator.validate(bytes: latin1, input: input, demonstrationOutputs: outputs) == .failure(.invalidUTF8))
        let truncatedSequence: [UInt8] = Array("A dog in the rain ".utf8) + [0xE2, 0x80]
        #expect(
            validator.validate(bytes: truncatedSequence, input: input, demonstrationOutputs: outputs)
                == .failure(.invalidUTF8))
    }

    @Test func reasonCodesAreSnakeCase() {
        #expect(
            RejectionReason.allCases.map(\.rawValue) == [
                "empty", "too_few_words", "too_many_words", "same_as_input", "copies_demonstration",
                "repetition", "contains_arrow", "invalid_utf8", "drops_content",
            ])
    }
}
