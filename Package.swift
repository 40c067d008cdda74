// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "Loupe",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "loupe", targets: ["loupe"]),
    .library(name: "LoupeCore", targets: ["LoupeCore"]),
    .library(name: "LoupeConnect", targets: ["LoupeConnect"]),
    .library(name: "LoupeStore", targets: ["LoupeStore"]),
    .library(name: "LoupeServer", targets: ["LoupeServer"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
  ],
  targets: [
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
    .target(
      name: "LoupeCore",
      dependencies: [
        "CZlib",
        .product(name: "Yams", package: "Yams"),
      ]
    ),
    .target(
      name: "LoupeConnect",
      dependencies: [
        "LoupeCore",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
      ]
    ),
    .target(
      name: "LoupeStore",
      dependencies: [
        "LoupeCore",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .target(
      name: "LoupeServer",
      dependencies: [
        "LoupeCore", "LoupeStore", "LoupeConnect",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "MultipartKit", package: "multipart-kit"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ]
    ),
    .executableTarget(
      name: "loupe",
      dependencies: [
        "LoupeCore",
        "LoupeConnect",
        "LoupeStore",
        "LoupeServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "LoupeCoreTests", dependencies: ["LoupeCore"]),
    .testTarget(
      name: "LoupeConnectTests", dependencies: ["LoupeCore", "LoupeConnect", "loupe"]),
    .testTarget(name: "LoupeStoreTests", dependencies: ["LoupeCore", "LoupeStore"]),
    .testTarget(
      name: "LoupeServerTests",
      dependencies: [
        "LoupeCore", "LoupeStore", "LoupeServer", "loupe",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]),
    .testTarget(name: "LoupeCLITests", dependencies: ["LoupeCore", "loupe"]),
  ],
  swiftLanguageModes: [.v6]
)
