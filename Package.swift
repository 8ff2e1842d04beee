// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "laclip",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "laclip", targets: ["laclip"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "laclip",
            dependencies: [
                "CaptionIO", "RewriteQueue", "Prompting", "Ingest", "Inference", "Scheduler",
                "Monitor", "Export", "SlurmScript", "CLIP", "CLIPEval", "CLIPExperiment", "Synth", "Tensor", "Fidelity",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
        ),
        .target(name: "CaptionIO", dependencies: ["Parquet", "Tar"]),
        .target(name: "Seeding", swiftSettings: optimizedInDebug),
        .target(name: "Prompting", dependencies: ["Seeding"]),
        .target(name: "Fidelity"),
        .testTarget(name: "FidelityTests", dependencies: ["Seeding", "Fidelity"]),
        .target(name: "CSQLiteConfig", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(
            name: "RewriteQueue",
            dependencies: [
                "CSQLiteConfig", "Prompting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Ingest",
            dependencies: [
                "CaptionIO", "CLibCrypto", "Prompting", "RewriteQueue",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Inference",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .target(
            name: "Scheduler",
            dependencies: [
                "Inference", "Prompting", "RewriteQueue", "Fidelity", "Monitor", "Seeding",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(name: "Monitor", dependencies: ["RewriteQueue"]),
        .target(name: "SlurmScript"),
        .testTarget(name: "SlurmScriptTests", dependencies: ["SlurmScript", "TestSupport"]),
        .testTarget(name: "SlurmTests", dependencies: ["Scheduler", "RewriteQueue", "TestSupport"]),
        .target(name: "Prefetch"),
        .testTarget(name: "PrefetchTests", dependencies: ["Prefetch"]),
        .target(name: "Export", dependencies: ["CaptionIO", "RewriteQueue", "Parquet", "Tar", "Prefetch"]),
        .testTarget(name: "MonitorTests", dependencies: ["Monitor", "RewriteQueue", "TestSupport"]),
        .testTarget(name: "ExportTests", dependencies: ["Export", "RewriteQueue", "TestSupport", "IngestTestSupport"]),
        .executableTarget(
            name: "laclip-bench",
            dependencies: [
                "RewriteQueue", "Prompting", "Inference", "TestSupport", "Fidelity",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/laclip-bench"),
        .executableTarget(name: "laclip-format-bench", dependencies: ["RewriteQueue"], path: "Benchmarks/FormatBench"),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "Tensor", dependencies: ["CBLAS", "Seeding"], swiftSettings: optimizedInDebug),
        .target(name: "TensorTestSupport", dependencies: ["Tensor", "Seeding"], path: "Tests/TensorTestSupport"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "Seeding", "TensorTestSupport"]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        .target(
            name: "CLIPData", dependencies: ["CaptionIO", "Seeding", "Tensor", "CPNG", "CJPEG"],
            swiftSettings: optimizedInDebug),
        .target(name: "Charts"),
        .target(name: "Synth", dependencies: ["CLIPData", "Seeding", "Tensor"], swiftSettings: optimizedInDebug),
        .target(
            name: "CLIP", dependencies: ["CLIPData", "Charts", "Prefetch", "Seeding", "Tensor"],
            swiftSettings: optimizedInDebug),
        .executableTarget(
            name: "CLIPBench", dependencies: ["CLIP", "CLIPData", "Seeding", "Synth", "Tensor"]),
        .testTarget(
            name: "CLIPTests",
            dependencies: ["CLIP", "CLIPData", "Seeding", "Synth", "Charts", "CLIPEval", "Tensor", "TensorTestSupport"]),
        .target(
            name: "CLIPEval", dependencies: ["CLIP", "CLIPData", "Seeding", "Tensor", "CBLAS"],
            swiftSettings: optimizedInDebug),
        .target(
            name: "CLIPExperiment",
            dependencies: ["CLIPEval", "CLIP", "CLIPData", "Synth", "Charts", "CaptionIO", "Tensor", "Monitor"]),
        .testTarget(
            name: "CLIPEvalTests", dependencies: ["CLIPEval", "CLIP", "CLIPData", "Seeding", "Synth", "Tensor"]),
        .testTarget(
            name: "CLIPExperimentTests",
            dependencies: ["CLIPExperiment", "CLIPEval", "CLIP", "CLIPData", "TestSupport"]),
        .target(name: "TestSupport", dependencies: ["Seeding"], path: "Tests/TestSupport"),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "Parquet", dependencies: ["CSnappy", "CZstd", "CZlib"]),
        .testTarget(name: "ParquetTests", dependencies: ["Seeding", "Parquet", "TestSupport"]),
        .target(name: "Tar"),
        .testTarget(
            name: "TorchReferenceTests", dependencies: ["CLIP", "Seeding", "Tensor", "RewriteQueue", "TestSupport"]),
        .testTarget(name: "FormatPipelineTests", dependencies: ["Seeding", "RewriteQueue", "TestSupport"]),
        .testTarget(name: "TarTests", dependencies: ["Seeding", "Tar", "TestSupport"]),
        .executableTarget(name: "queue-crash-worker", dependencies: ["RewriteQueue"], path: "Tests/QueueCrashWorker"),
        .testTarget(name: "CaptionIOTests", dependencies: ["Seeding", "CaptionIO", "TestSupport"]),
        .testTarget(name: "PromptingTests", dependencies: ["Seeding", "Prompting", "TestSupport"]),
        .testTarget(
            name: "RewriteQueueTests",
            dependencies: ["RewriteQueue", "Prompting", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CLITests", dependencies: ["Seeding", "RewriteQueue", "TestSupport"]),
        .testTarget(
            name: "InferenceTests",
            dependencies: [
                "Inference", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "RunTests",
            dependencies: ["Seeding", "RewriteQueue", "Prompting", "Inference", "Fidelity", "TestSupport"]),
        .target(
            name: "IngestTestSupport",
            dependencies: [
                "Ingest", "Prompting", "RewriteQueue", "TestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/IngestTestSupport"),
        .testTarget(
            name: "IngestTests",
            dependencies: ["Ingest", "RewriteQueue", "IngestTestSupport", "TestSupport", "Seeding"]),
        .testTarget(
            name: "SchedulerTests",
            dependencies: [
                "Scheduler", "Inference", "RewriteQueue", "Prompting", "Fidelity", "IngestTestSupport", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]),
    ]
)

// The numeric code (tensors, image decoding and resampling, synthetic rendering, the CLIP model,
// its evaluation) is optimised in debug builds too:
// unoptimised, one tiny training step takes seconds and the training, experiment and PyTorch
// agreement suites spend most of `make test` there. Everything else stays -Onone for debugging.
var optimizedInDebug: [SwiftSetting] { [.unsafeFlags(["-O"], .when(configuration: .debug))] }
