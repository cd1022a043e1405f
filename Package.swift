// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "loadgen",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "loadgen", targets: ["Loadgen"]),
        // For a package of your own: the DSL, engine, runtime, reports and the command line (README
        // "Your own package"); LoadgenRuntime alone for programs that drive runs without the CLI.
        .library(name: "LoadgenKit", targets: ["LoadgenKit"]),
        .library(name: "LoadgenRuntime", targets: ["LoadgenRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // The wire formats both sides of a bot speak: WhatsApp envelopes, signatures, JSON, Graph sends,
        // URLs, the marketplace's upstream rows. Pure; imported by the harness and the reference bot alike.
        .target(
            name: "Wire",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The pure core: scenarios, config and plans, the engine, chaos, metrics, criteria, reports. No NIO.
        .target(
            name: "LoadgenCore",
            dependencies: [
                "Wire",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            exclude: ["Reporting/Resources"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedResources"]
        ),
        // report.html's page, style and script are real files in LoadgenCore/Reporting/Resources; this plugin
        // embeds them as string constants at build time, so the binary needs nothing next to it.
        .plugin(name: "EmbedResources", capability: .buildTool(), dependencies: ["EmbedResourcesTool"]),
        .executableTarget(name: "EmbedResourcesTool", swiftSettings: swiftSettings),
        // Built-in scenarios, written in the DSL.
        .target(
            name: "LoadgenScenarios",
            dependencies: ["LoadgenCore"],
            path: "scenarios",
            swiftSettings: swiftSettings
        ),
        // The I/O edge: a pooled HTTP/1.1 client, a small HTTP/1.1 server on SwiftNIO, the intercepting
        // forward proxy (HTTP CONNECT, TLS terminated with leaf certificates from loadgen's own CA), and the
        // WebSocket a hub and its shards speak over (swift-nio's own NIOWebSocket: no other package).
        .target(
            name: "LoadgenHTTP",
            dependencies: [
                "Wire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        // The embedded EasyMO-shaped bot: the default target.
        .target(
            name: "ReferenceBot",
            dependencies: [
                "Wire",
                "LoadgenHTTP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Swift runtime's global-enqueue hook, reached by the linker (LoopExecutor).
        .target(name: "CLoopHook"),
        // The runtime: a validated plan turned into running services (stand-ins, fault proxies, the
        // reference bot, status callbacks), the drivers that compose them, and the run's outputs.
        .target(
            name: "LoadgenRuntime",
            dependencies: [
                "CLoopHook",
                "LoadgenCore",
                "LoadgenHTTP",
                "ReferenceBot",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Scenario files: YAML or JSON decoded into the DSL's values, every mistake FILE:LINE:COLUMN.
        .target(
            name: "LoadgenFiles",
            dependencies: ["LoadgenCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // The command line: commands, options, exit codes; `LoadgenCLI.main(scenarios:)` for any binary.
        .target(
            name: "LoadgenCLI",
            dependencies: [
                "LoadgenCore",
                "LoadgenFiles",
                "LoadgenRuntime",
                "LoadgenScenarios",
                "LoadgenHTTP",
                "ReferenceBot",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // One import for a package of your own.
        .target(name: "LoadgenKit", dependencies: ["LoadgenCLI", "LoadgenCore", "LoadgenFiles", "LoadgenRuntime", "LoadgenScenarios"],
                swiftSettings: swiftSettings),
        // The `loadgen` binary: the command line with the built-in scenarios.
        .executableTarget(name: "Loadgen", dependencies: ["LoadgenCLI"], swiftSettings: swiftSettings),
        // Shared test doubles: a truth bot with known delays and failures.
        .target(
            name: "LoadgenTesting",
            dependencies: [
                "LoadgenCore",
                "LoadgenHTTP",
                "LoadgenRuntime",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "LoadgenCoreTests", dependencies: ["LoadgenCore", "LoadgenFiles", "LoadgenScenarios", "LoadgenTesting"],
                    swiftSettings: swiftSettings),
        .testTarget(
            name: "LoadgenHTTPTests",
            dependencies: ["LoadgenCore", "LoadgenHTTP", "LoadgenRuntime", "LoadgenTesting", "ReferenceBot",
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "X509", package: "swift-certificates"), .product(name: "SwiftASN1", package: "swift-asn1")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ReferenceBotTests",
            dependencies: ["LoadgenCore", "LoadgenHTTP", "LoadgenRuntime", "ReferenceBot", "LoadgenTesting",
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LoadgenTests",
            dependencies: ["Loadgen", "LoadgenCLI", "LoadgenKit", "LoadgenFiles", "LoadgenCore", "LoadgenHTTP", "LoadgenRuntime", "ReferenceBot", "LoadgenTesting",
                           "LoadgenScenarios",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)
