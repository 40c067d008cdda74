import Benchmark
import Foundation
import LoupeCore

/// Template mining throughput on 1,000,000 messages built from the Loghub-2k contents of the
/// ten systems, every digit re-drawn at random so that most lines are not exact repeats:
/// - `mine, one core` / `mine, both cores`: masking and template assignment (the miner alone);
/// - `parse end to end`: reading the file, framing, mining and writing the structured CSV.
let benchmarks: @Sendable () -> Void = {
  let linesPerSecond = BenchmarkMetric.custom(
    "klines/s", polarity: .prefersLarger, useScalingFactor: false)
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .peakMemoryResident, linesPerSecond], timeUnits: .milliseconds,
    warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 6)

  for threads in [1, 2] {
    Benchmark("mine, \(threads == 1 ? "one core" : "both cores")") { benchmark in
      let read = try VariedCorpus.records()
      var miner = TemplateMiner()
      miner.maximumThreads = threads
      benchmark.startMeasurement()
      let started = ContinuousClock.now
      let result = miner.mine(read.records, in: read.buffer)
      let elapsed = started.duration(to: .now)
      benchmark.stopMeasurement()
      precondition(result.assignments.count == read.records.count)
      benchmark.measurement(linesPerSecond, VariedCorpus.rate(read.records.count, elapsed))
    }
  }

  Benchmark("parse end to end (read, mine, write CSV)") { benchmark in
    let path = try VariedCorpus.path()
    var options = AnalysisOptions()
    options.read.format = "plain"
    let output = NSTemporaryDirectory() + "loupe-bench-parsed.csv"
    benchmark.startMeasurement()
    let started = ContinuousClock.now
    let (read, result, _, _) = try Analyzer(options: options).parse(.file(path))
    try StructuredOutput.writeRecords(read, result, to: output)
    let elapsed = started.duration(to: .now)
    benchmark.stopMeasurement()
    benchmark.measurement(linesPerSecond, VariedCorpus.rate(read.records.count, elapsed))
  }
}

enum VariedCorpus {
  static let lineCount = 1_000_000
  static let systems = [
    "HDFS", "Hadoop", "Spark", "Zookeeper", "BGL", "HPC", "Windows", "Linux", "Android", "Apache",
  ]

  static func rate(_ lines: Int, _ elapsed: Duration) -> Int {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Int((Double(lines) / 1e3 / seconds).rounded())
  }

  /// The corpus file, built on first use from `../shared/datasets/loghub-2k`.
  static func path() throws -> String {
    let path = NSTemporaryDirectory() + "loupe-bench-varied-\(lineCount).log"
    if FileManager.default.fileExists(atPath: path) { return path }
    let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("shared/datasets/loghub-2k")
    var contents: [[UInt8]] = []
    for system in systems {
      var options = ReadOptions()
      options.format = "loghub:\(system)"
      let file = datasets.appendingPathComponent("\(system)/\(system)_2k.log").path
      let read = try RecordReader.read(try InputReader.read(.file(file)).0, options: options)
      for record in read.records { contents.append(read.buffer.decodedBytes(record.message)) }
    }
    var random = SeededRandom(seed: 1)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(lineCount * 70)
    for index in 0..<lineCount {
      for byte in contents[index % contents.count] {
        bytes.append(ByteClass.isDigit(byte) ? UInt8(0x30 + random.nextIndex(10)) : byte)
      }
      bytes.append(0x0A)
    }
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
  }

  static func records() throws -> ReadResult {
    var options = ReadOptions()
    options.format = "plain"
    return try RecordReader.read(try InputReader.read(.file(try path())).0, options: options)
  }
}
