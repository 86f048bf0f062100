// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "optoutd",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "optoutd", targets: ["optoutd"])
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        // Pure: config model, regions, catalog, scheduling engine, renderers. No I/O, no clock.
        .target(
            name: "OptOutCore",
            dependencies: [.product(name: "HeapModule", package: "swift-collections")]
        ),
        // Reads config, inventories and catalog files into the core model, with located diagnostics.
        .target(
            name: "OptOutConfig",
            dependencies: ["OptOutCore", "Yams"],
            resources: [.embedInCode("BuiltinCatalog")]
        ),
        .executableTarget(
            name: "optoutd",
            dependencies: [
                "OptOutCore", "OptOutConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "OptOutCoreTests", dependencies: ["OptOutCore"]),
        .testTarget(name: "OptOutConfigTests", dependencies: ["OptOutConfig"]),
        .testTarget(name: "optoutdTests", dependencies: ["optoutd"]),
    ],
    swiftLanguageModes: [.v6]
)
