// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so that normal builds never compile them.
// Run: swift package --package-path Benchmarks benchmark
let package = Package(
  name: "LoupeBenchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "Loupe", path: ".."),
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "ReadingThroughput",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "LoupeCore", package: "Loupe"),
      ],
      path: "Benchmarks/ReadingThroughput",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "TemplateMining",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "LoupeCore", package: "Loupe"),
      ],
      path: "Benchmarks/TemplateMining",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .executableTarget(
      name: "OutlierComparison",
      dependencies: [.product(name: "LoupeCore", package: "Loupe")],
      path: "Benchmarks/OutlierComparison"
    ),
  ],
  swiftLanguageModes: [.v6]
)
