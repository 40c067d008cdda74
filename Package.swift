// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "Loupe",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "loupe", targets: ["loupe"]),
    .library(name: "LoupeCore", targets: ["LoupeCore"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
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
    .executableTarget(
      name: "loupe",
      dependencies: [
        "LoupeCore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "LoupeCoreTests", dependencies: ["LoupeCore"]),
    .testTarget(name: "LoupeCLITests", dependencies: ["LoupeCore", "loupe"]),
  ],
  swiftLanguageModes: [.v6]
)
