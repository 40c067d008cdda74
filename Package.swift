// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "Loupe",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "loupe", targets: ["loupe"]),
    .library(name: "LoupeCore", targets: ["LoupeCore"]),
    .library(name: "LoupeConnect", targets: ["LoupeConnect"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
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
    .executableTarget(
      name: "loupe",
      dependencies: [
        "LoupeCore",
        "LoupeConnect",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "LoupeCoreTests", dependencies: ["LoupeCore"]),
    .testTarget(
      name: "LoupeConnectTests", dependencies: ["LoupeCore", "LoupeConnect", "loupe"],
      exclude: []),
    .testTarget(name: "LoupeCLITests", dependencies: ["LoupeCore", "loupe"]),
  ],
  swiftLanguageModes: [.v6]
)
