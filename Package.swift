// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "optoutd",
    products: [
        .executable(name: "optoutd", targets: ["optoutd"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Pure: config model, regions, catalog, scheduling engine, renderers. No I/O, no clock,
        // no threads of its own.
        .target(
            name: "OptOutCore",
            dependencies: [.product(name: "HeapModule", package: "swift-collections")]
        ),
        // Reads config, inventories and catalog files into the core model, with located diagnostics.
        .target(
            name: "OptOutConfig",
            dependencies: ["OptOutCore", "OptOutRender", "CYAML"],
            resources: [.embedInCode("BuiltinCatalog")]
        ),
        // Turns notices into what people read: mail subjects and bodies, summaries, calendars,
        // from Mustache templates (shipped ones embedded, each overridable from the config).
        .target(
            name: "OptOutRender",
            dependencies: [
                "OptOutCore", .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.embedInCode("BuiltinTemplates")]
        ),
        // libyaml's event parser, composed into the readers' own nodes.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // libsystemd: the journal and the service manager's notification socket.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // Linux and C-runtime calls Swift cannot make directly, and the runtime's global-executor hook.
        .target(name: "CLinux"),
        // libcurl, loaded when first needed, and its variadic curl_easy_setopt wrapped in typed
        // C functions Swift can call.
        .target(name: "CCurl"),
        // The daemon's adapters: journal, sd_notify, state store, wake-ups, the service loop, metrics.
        .target(
            name: "OptOutDaemon",
            dependencies: [
                "OptOutCore", "OptOutConfig", "OptOutRender", "CSystemd", "CCurl", "CLinux",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The confirmation pages (`optoutd serve`): HTTP/1.1 on swift-nio, on a socket systemd
        // passes or one it binds itself.
        .target(
            name: "OptOutWeb",
            dependencies: [
                "OptOutCore", "OptOutDaemon", "OptOutRender", "CSystemd",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "optoutd",
            dependencies: [
                "OptOutCore", "OptOutConfig", "OptOutDaemon", "OptOutRender", "OptOutWeb", "CLinux",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "OptOutCoreTests", dependencies: ["OptOutCore"]),
        .testTarget(name: "OptOutConfigTests", dependencies: ["OptOutConfig"]),
        .testTarget(name: "OptOutRenderTests", dependencies: ["OptOutRender"]),
        .testTarget(name: "OptOutDaemonTests", dependencies: ["OptOutDaemon"]),
        .testTarget(name: "OptOutWebTests", dependencies: ["OptOutWeb"]),
        .testTarget(name: "optoutdTests", dependencies: ["optoutd", "OptOutDaemon"]),
    ],
    swiftLanguageModes: [.v6]
)
