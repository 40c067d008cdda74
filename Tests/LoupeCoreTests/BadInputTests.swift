import Foundation
import Testing

@testable import LoupeCore

@Suite struct BadInputTests {
  func write(_ bytes: [UInt8], _ name: String, in directory: String) throws -> String {
    let path = directory + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  func gzip(_ text: String, in directory: String) throws -> [UInt8] {
    let plain = try write(Array(text.utf8), "plain.txt", in: directory)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-k", "-f", plain]
    try process.run()
    process.waitUntilExit()
    return Array(try Data(contentsOf: URL(fileURLWithPath: plain + ".gz")))
  }

  @Test func gzipIsDetectedByMagicBytesAndTruncationKeepsTheGoodPart() throws {
    let directory = try Fixtures.temporaryDirectory()
    let text =
      (1...5000).map {
        "2024-01-15 08:00:00 INFO [Svc] line \($0) of the log with some padding text"
      }
      .joined(separator: "\n") + "\n"
    let compressed = try gzip(text, in: directory)
    let whole = try write(compressed, "whole.log", in: directory)
    let (buffer, problem) = try InputReader.read(.file(whole))
    #expect(buffer.wasCompressed)
    #expect(problem == nil)
    #expect(buffer.bytes == Array(text.utf8))

    let cut = try write(Array(compressed.prefix(compressed.count / 2)), "cut.log.gz", in: directory)
    let (partial, truncation) = try InputReader.read(.file(cut))
    #expect(truncation?.message.contains("truncated") == true)
    #expect(truncation?.file == cut)
    #expect(partial.bytes.count > 1000)
    #expect(Array(text.utf8).starts(with: partial.bytes))

    let twoMembers = try write(compressed + compressed, "two.gz", in: directory)
    #expect(try InputReader.read(.file(twoMembers)).0.bytes.count == text.utf8.count * 2)

    let header = try write(Array(compressed.prefix(5)), "header.gz", in: directory)
    #expect(throws: InputProblem.self) { try InputReader.read(.file(header)) }
  }

  @Test func binaryAndEmptyInputsAreRefusedByName() throws {
    var random = SeededRandom(seed: 7)
    let noise = (0..<50_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    let analyzer = Analyzer(options: AnalysisOptions())
    #expect {
      try analyzer.analyze(SourceBuffer(name: "noise.bin", bytes: noise))
    } throws: { error in
      (error as? InputProblem)?.description == "noise.bin: binary data, not a text log; skipped"
    }
    #expect {
      try analyzer.analyze(SourceBuffer(name: "empty.log", bytes: []))
    } throws: { error in
      (error as? InputProblem)?.description == "empty.log: the input is empty"
    }
    #expect(throws: InputProblem.self) {
      try analyzer.analyze(SourceBuffer(name: "blank.log", bytes: Array("\n\n\r\n".utf8)))
    }
  }

  @Test func aFiftyMegabyteLineIsCutNotFatal() throws {
    var bytes = Array("2024-01-15 08:00:00 INFO [A] before\n2024-01-15 08:00:01 INFO [A] ".utf8)
    bytes += [UInt8](repeating: 0x78, count: 50_000_000)
    bytes += Array("\n2024-01-15 08:00:02 ERROR [A] after\n".utf8)
    var options = ReadOptions()
    options.defaultYear = 2024
    let result = try RecordReader.read(
      SourceBuffer(name: "long.log", bytes: bytes), options: options)
    #expect(result.records.count == 3)
    #expect(result.records[1].message.span.count == options.maxRecordBytes)
    #expect(result.problems.count == 1)
    #expect(result.problems.first?.line == 2)
    #expect(result.problems.first?.file == "long.log")
    #expect(result.records[2].level == .error)
  }

  @Test func directoriesListWhatWasSkippedAndWhy() throws {
    let directory = try Fixtures.temporaryDirectory()
    _ = try write(Array("2024-01-15 08:00:00 INFO [A] x\n".utf8), "b.log", in: directory)
    _ = try write(Array("2024-01-15 08:00:00 INFO [A] y\n".utf8), "a.log", in: directory)
    _ = try write([0x89, 0x50, 0x4E, 0x47], "logo.png", in: directory)
    _ = try write(Array("hidden\n".utf8), ".hidden.log", in: directory)
    try FileManager.default.createDirectory(
      atPath: directory + "/sub", withIntermediateDirectories: true)
    _ = try write(Array("2024-01-15 08:00:00 INFO [A] z\n".utf8), "sub/c.log", in: directory)
    try FileManager.default.createSymbolicLink(
      atPath: directory + "/dangling.log", withDestinationPath: "/nonexistent/file")
    #expect(mkfifo(directory + "/pipe.log", 0o600) == 0)

    let collection = InputCollector.collect([directory, directory + "/missing.log"])
    #expect(
      collection.inputs == [
        .file(directory + "/a.log"), .file(directory + "/b.log"), .file(directory + "/sub/c.log"),
      ])
    let reasons = Dictionary(uniqueKeysWithValues: collection.skipped.map { ($0.file, $0.message) })
    #expect(reasons[directory + "/logo.png"] == "skipped: .png files are not logs")
    #expect(reasons[directory + "/dangling.log"] == "skipped: a broken or directory symbolic link")
    #expect(reasons[directory + "/pipe.log"] == "skipped: not a regular file")
    #expect(reasons[directory + "/missing.log"] == "no such file or directory")
  }

  @Test func aMissingFileIsAProblemNamingIt() {
    #expect {
      try InputReader.read(.file("/nonexistent/x.log"))
    } throws: { error in
      (error as? InputProblem)?.description.hasPrefix("/nonexistent/x.log: cannot open: ") == true
    }
  }
}
