// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "loadgen",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "loadgen", targets: ["Loadgen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // The pure core: scenarios, the WhatsApp wire format, the engine, metrics, criteria, reports. No NIO.
        .target(
            name: "LoadgenCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Built-in scenarios, written in the DSL.
        .target(
            name: "LoadgenScenarios",
            dependencies: ["LoadgenCore"],
            path: "scenarios",
            swiftSettings: swiftSettings
        ),
        // The I/O edge: the webhook client, the HTTP server, the stand-in Graph API.
        .target(
            name: "LoadgenHTTP",
            dependencies: [
                "LoadgenCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // The embedded EasyMO-shaped bot: the default target.
        .target(
            name: "ReferenceBot",
            dependencies: [
                "LoadgenCore",
                "LoadgenHTTP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The command line: commands, options, exit codes.
        .executableTarget(
            name: "Loadgen",
            dependencies: [
                "LoadgenCore",
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
        // Shared test doubles: a truth bot with known delays and failures.
        .target(
            name: "LoadgenTesting",
            dependencies: [
                "LoadgenCore",
                "LoadgenHTTP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "LoadgenCoreTests", dependencies: ["LoadgenCore", "LoadgenScenarios"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LoadgenHTTPTests",
            dependencies: ["LoadgenCore", "LoadgenHTTP", "LoadgenTesting", "ReferenceBot",
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ReferenceBotTests",
            dependencies: ["LoadgenCore", "LoadgenHTTP", "ReferenceBot", "LoadgenTesting",
                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LoadgenTests",
            dependencies: ["Loadgen", "LoadgenCore", "LoadgenHTTP", "ReferenceBot", "LoadgenTesting", "LoadgenScenarios",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
    ]
)
