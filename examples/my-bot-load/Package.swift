// swift-tools-version: 6.1
import PackageDescription

// A package of your own that load-tests your bot with your journeys, on loadgen's command line.
// `path: "../.."` is this repository; a package elsewhere names loadgen's git URL and a version.
let package = Package(
    name: "my-bot-load",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "loadgen", path: "../..")],
    targets: [
        .executableTarget(
            name: "MyBotLoad",
            dependencies: [.product(name: "LoadgenKit", package: "loadgen")]
        ),
    ]
)
