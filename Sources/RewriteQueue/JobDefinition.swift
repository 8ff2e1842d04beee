import Foundation
import Prompting

/// Everything that decides what a job's tasks mean: its configuration, its styles with their
/// parsed demonstrations, and its prompt template. job.sqlite is read into this in one place
/// (`JobManifest.definition()`), and every command that needs a setting takes it from here.
///
/// It encodes as the stored texts only; decoding parses them again, so a definition that
/// decodes is one whose meta pairs and template are valid.
public struct JobDefinition: Sendable, Equatable, Codable {
    public let configuration: JobConfiguration
    public let styles: [StyleRecord]
    public let template: TemplateRecord
    /// Each style's demonstrations, parsed from its stored snapshot, in `styles` order.
    public let demonstrations: [MetaPairSource]
    public let prompt: PromptTemplate

    public init(configuration: JobConfiguration, styles: [StyleRecord], template: TemplateRecord) throws {
        self.configuration = configuration
        self.styles = styles
        self.template = template
        demonstrations = try styles.map {
            try MetaPairSource.parse(name: $0.name, text: $0.metaPairs, file: $0.metaPairsFile)
        }
        prompt = try PromptTemplate(text: template.text, file: template.file)
    }

    public func style(named name: String) throws -> StyleRecord {
        guard let style = styles.first(where: { $0.name == name }) else {
            throw QueueError(
                .unknownStyle,
                "style '\(name)' is not in this job (it has: \(styles.map(\.name).joined(separator: ", ")))")
        }
        return style
    }

    /// The demonstrations of the style with this index (a task's `TaskID.style`).
    public func demonstrations(ofStyle index: Int) -> MetaPairSource {
        guard let position = styles.firstIndex(where: { $0.index == index }) else {
            preconditionFailure("style index \(index) is not in this job's \(styles.count) styles")
        }
        return demonstrations[position]
    }

    enum CodingKeys: String, CodingKey { case configuration, styles, template }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            configuration: container.decode(JobConfiguration.self, forKey: .configuration),
            styles: container.decode([StyleRecord].self, forKey: .styles),
            template: container.decode(TemplateRecord.self, forKey: .template))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(configuration, forKey: .configuration)
        try container.encode(styles, forKey: .styles)
        try container.encode(template, forKey: .template)
    }
}

/// The prompt template's file name and its text as the job stores it.
public struct TemplateRecord: Sendable, Equatable, Codable {
    public var file: String
    public var text: String
    public init(file: String, text: String) {
        self.file = file
        self.text = text
    }
}
