import Benchmark
import Foundation
import LoupeCore

/// Reading + framing + parsing throughput on 1,000,000-line files, in MB/s and thousands of
/// lines per second:
/// - `all cores`: `InputReader` (file to memory) and `RecordReader` (framing and parsing in
///   parallel chunks, continuation joining), the path `loupe analyze` takes;
/// - `one core`: framing and header parsing on one thread, the per-core figure.
let benchmarks: @Sendable () -> Void = {
  let megabytesPerSecond = BenchmarkMetric.custom(
    "MB/s", polarity: .prefersLarger, useScalingFactor: false)
  let kilolinesPerSecond = BenchmarkMetric.custom(
    "klines/s", polarity: .prefersLarger, useScalingFactor: false)
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .peakMemoryResident, megabytesPerSecond, kilolinesPerSecond],
    timeUnits: .milliseconds, warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 8)

  for corpus in Corpus.allCases {
    Benchmark("\(corpus.rawValue) read+frame+parse, all cores") { benchmark in
      let path = corpus.path
      var options = ReadOptions()
      options.format = corpus.formatName
      options.defaultYear = 2024
      benchmark.startMeasurement()
      let started = ContinuousClock.now
      let (buffer, _) = try InputReader.read(.file(path))
      let result = try RecordReader.read(buffer, options: options)
      let elapsed = started.duration(to: .now)
      benchmark.stopMeasurement()
      precondition(result.unparsedCount == 0 && result.records.count == Corpus.lineCount)
      report(
        benchmark, bytes: buffer.bytes.count, lines: result.records.count, elapsed,
        megabytesPerSecond, kilolinesPerSecond)
    }

    Benchmark("\(corpus.rawValue) frame+parse, one core") { benchmark in
      let (buffer, _) = try InputReader.read(.file(corpus.path))
      guard let format = FormatCatalog.lineFormat(named: corpus.formatName) else { return }
      let context = ParseContext(defaultYear: 2024)
      benchmark.startMeasurement()
      let started = ContinuousClock.now
      let parsed = buffer.bytes.withUnsafeBufferPointer { bytes -> Int in
        var parsed = 0
        for span in LineFramer.lines(in: bytes, range: 0..<bytes.count) {
          var record = LogRecord(line: 0, span: span)
          if format.parse(bytes, &record, context) { parsed += 1 }
        }
        return parsed
      }
      let elapsed = started.duration(to: .now)
      benchmark.stopMeasurement()
      precondition(parsed == Corpus.lineCount)
      report(
        benchmark, bytes: buffer.bytes.count, lines: parsed, elapsed, megabytesPerSecond,
        kilolinesPerSecond)
    }
  }
}

private func report(
  _ benchmark: Benchmark, bytes: Int, lines: Int, _ elapsed: Duration,
  _ megabytes: BenchmarkMetric, _ kilolines: BenchmarkMetric
) {
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  benchmark.measurement(megabytes, Int((Double(bytes) / 1e6 / seconds).rounded()))
  benchmark.measurement(kilolines, Int((Double(lines) / 1e3 / seconds).rounded()))
}
