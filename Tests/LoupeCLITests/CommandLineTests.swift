import Foundation
import Testing

/// Runs the built `loupe` binary as a user would, and checks exit codes, files and output.
@Suite struct CommandLineTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let sample = root.appendingPathComponent("Samples/app.log").path

  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The `loupe` executable next to the test bundle.
  static var executable: URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while directory.path != "/" {
      let candidate = directory.appendingPathComponent("loupe")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return root.appendingPathComponent(".build/debug/loupe")
  }

  func loupe(
    _ arguments: [String], stdin: Data? = nil, in directory: String? = nil,
    environment: [String: String] = [:]
  ) throws -> Run {
    let process = Process()
    process.executableURL = Self.executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let output = Pipe()
    let errors = Pipe()
    let input = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: err, as: UTF8.self))
  }

  func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "loupe-cli-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  @Test func analyzeTheShippedSample() throws {
    let output = try temporaryDirectory()
    let run = try loupe(["analyze", Self.sample, "--output", output])
    #expect(run.status == 0)
    #expect(run.stdout.contains("2400 records in 2405 lines, format app"))
    #expect(run.stdout.contains("anomalies"))
    #expect(!run.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
    for file in [
      "app_anomalies.csv", "app_anomalies.jsonl", "app_templates.csv", "app_summary.json",
    ] {
      #expect(FileManager.default.fileExists(atPath: output + "/" + file), "\(file)")
    }
    let anomalies = try String(contentsOfFile: output + "/app_anomalies.csv", encoding: .utf8)
    #expect(anomalies.contains("\n1406,"))
    #expect(anomalies.contains("out of memory"))
    #expect(anomalies.contains("\n851,"))
  }

  /// A flood and the changes of rate around it are listed in the terminal and the report.
  @Test func floodsAndChangesOfRateAreListed() throws {
    let directory = try temporaryDirectory()
    var lines: [String] = []
    for index in 0..<6000 {
      let time = String(
        format: "2024-01-15 %02d:%02d:%02d", 8 + index / 3600, index / 60 % 60, index % 60)
      lines.append(
        (3000..<4200).contains(index)
          ? "\(time) WARN [Queue] retrying delivery of message \(index)"
          : "\(time) INFO [Api] request \(index) served in \(index % 50) ms")
    }
    let input = directory + "/queue.log"
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: input, atomically: true, encoding: .utf8)
    let run = try loupe(["analyze", input, "--output", directory + "/out", "--year", "2024"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("1 flood, "))
    #expect(run.stdout.contains("1200 of 1500 records (usual 300): retrying delivery"))
    #expect(run.stdout.contains("retrying delivery of message <*>"))
    let html = try String(contentsOfFile: directory + "/out/queue_report.html", encoding: .utf8)
    #expect(html.contains("<h2>Floods and changes of rate"))
    #expect(html.contains("<td>flood</td><td>retrying delivery of message &lt;*&gt;</td>"))
    #expect(html.contains("<td>1200 of 1500</td><td>300</td>"))
    #expect(html.contains("class=\"mark\"><title>flood: retrying delivery of message &lt;*&gt;"))
  }

  /// A log line holding terminal escape sequences cannot drive the reader's terminal.
  @Test func controlCharactersInLogsDoNotReachTheTerminal() throws {
    let directory = try temporaryDirectory()
    var lines = (0..<500).map {
      String(
        format: "2024-01-15 08:%02d:%02d INFO [Api] request %d served", $0 / 60 % 60, $0 % 60, $0)
    }
    lines[250] = "2024-01-15 08:04:10 FATAL [Api] crash \u{1B}]0;owned\u{07}\u{1B}[2J dump"
    let input = directory + "/escape.log"
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: input, atomically: true, encoding: .utf8)
    let run = try loupe(["analyze", input, "--output", directory + "/out"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("crash \u{FFFD}]0;owned\u{FFFD}\u{FFFD}[2J dump"))
    #expect(!run.stdout.contains("\u{1B}") && !run.stdout.contains("\u{07}"))
  }

  @Test func outputsAreByteIdenticalAcrossRuns() throws {
    let first = try temporaryDirectory()
    let second = try temporaryDirectory()
    #expect(
      try loupe(["analyze", Self.sample, "--output", first, "-q", "--all-records"]).status == 0)
    #expect(
      try loupe(["analyze", Self.sample, "--output", second, "-q", "--all-records"]).status == 0)
    for file in [
      "app_anomalies.csv", "app_anomalies.jsonl", "app_templates.csv", "app_summary.json",
      "app_records.csv", "app_summary.csv", "app_report.html",
    ] {
      // The summary's run time is the one value that may differ.
      func content(_ directory: String) throws -> String {
        try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
          .split(separator: "\n").filter { !$0.contains("\"run_seconds\"") }.joined(separator: "\n")
      }
      #expect(try content(first) == content(second), "\(file) differs between runs")
    }
  }

  @Test func standardInputAndJSONSummary() throws {
    let output = try temporaryDirectory()
    let log = try Data(contentsOf: URL(fileURLWithPath: Self.sample))
    let run = try loupe(["analyze", "-", "--output", output, "--json"], stdin: log)
    #expect(run.status == 0)
    let summary = try #require(
      try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(summary["records"] as? Int == 2400)
    #expect((summary["input"] as? [String: Any])?["name"] as? String == "-")
    #expect(FileManager.default.fileExists(atPath: output + "/stdin_summary.json"))
  }

  @Test func exitStatuses() throws {
    let output = try temporaryDirectory()
    let failOn = try loupe([
      "analyze", Self.sample, "--output", output, "--fail-on", "critical", "-q",
    ])
    #expect(failOn.status == 3)
    #expect(
      try loupe([
        "analyze", Self.sample, "--output", output, "--detectors", "iforest", "--fail-on",
        "critical", "-q",
      ]).status == 0)

    let missing = try loupe(["analyze", "/nonexistent/app.log", "--output", output])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("loupe: /nonexistent/app.log: no such file or directory"))

    for arguments in [
      ["analyze", Self.sample, "--bogus"], ["analyze", Self.sample, "--detectors", "magic"],
      ["analyze", Self.sample, "--format", "klingon"],
      ["analyze", Self.sample, "--contamination", "2"],
      ["analyze", Self.sample, "--fail-on", "dreadful"],
      ["analyze", Self.sample, "--log-format", "<Date <Content>"],
      ["analyze"],
    ] {
      let run = try loupe(arguments + ["--output", output])
      #expect(run.status == 64, "\(arguments)")
      #expect(run.stderr.contains("Error:"), "\(arguments)")
    }
  }

  @Test func partialProblemsDoNotFailTheRun() throws {
    let directory = try temporaryDirectory()
    let output = try temporaryDirectory()
    try Data([0x00, 0x01, 0x02, 0xFF] + [UInt8](repeating: 0, count: 4000)).write(
      to: URL(fileURLWithPath: directory + "/blob.log"))
    try Data().write(to: URL(fileURLWithPath: directory + "/empty.log"))
    try FileManager.default.copyItem(atPath: Self.sample, toPath: directory + "/app.log")
    try FileManager.default.createDirectory(
      atPath: directory + "/nested", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: Self.sample, toPath: directory + "/nested/app.log")
    let run = try loupe(["analyze", directory, "--output", output])
    #expect(run.status == 0)
    #expect(run.stderr.contains("blob.log: binary data, not a text log; skipped"))
    #expect(run.stderr.contains("empty.log: the input is empty"))
    #expect(FileManager.default.fileExists(atPath: output + "/app_summary.json"))
    #expect(FileManager.default.fileExists(atPath: output + "/app-2_summary.json"))
    let combined = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: output + "/loupe_summary.json")))
        as? [String: Any])
    #expect(combined["records"] as? Int == 4800)
    #expect((combined["failures"] as? [String])?.count == 2)

    let allBad = try loupe([
      "analyze", directory + "/blob.log", directory + "/empty.log", "--output", output,
    ])
    #expect(allBad.status == 1)
  }

  @Test func configFileIsReadAndFlagsOverrideIt() throws {
    let directory = try temporaryDirectory()
    try "detectors: [rules]\noutput: from-config\nfail_on: critical\n".write(
      toFile: directory + "/loupe.yaml", atomically: true, encoding: .utf8)
    let run = try loupe(["analyze", Self.sample, "-q"], in: directory)
    #expect(run.status == 3)
    let summaryPath = directory + "/from-config/app_summary.json"
    let summary = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summaryPath)))
        as? [String: Any])
    #expect((summary["detectors"] as? [[String: Any]])?.map { $0["name"] as? String } == ["rules"])
    let overridden = try loupe(
      ["analyze", Self.sample, "-q", "--detectors", "iforest", "--output", "flag-dir"],
      in: directory)
    #expect(overridden.status == 0)
    #expect(FileManager.default.fileExists(atPath: directory + "/flag-dir/app_summary.json"))

    try "detectors: [".write(toFile: directory + "/broken.yaml", atomically: true, encoding: .utf8)
    let broken = try loupe(["analyze", Self.sample, "--config", directory + "/broken.yaml"])
    #expect(broken.status == 64)
    #expect(broken.stderr.contains("broken.yaml: invalid config"))
  }

  @Test func customRulesThresholdsAndOptionalDetectorsFromTheCommandLine() throws {
    let directory = try temporaryDirectory()
    try """
    detectors: [rules, lof, autoencoder]
    severity_thresholds:
      rules: {critical: 0.99, high: 0.98, medium: 0.97, low: 0.5}
    rules:
      - name: checkout-trouble
        keywords: [checkout]
        severity: high
        tags: [payments]
    """.write(toFile: directory + "/loupe.yaml", atomically: true, encoding: .utf8)
    let log =
      (0..<200).map {
        "2024-01-15 08:00:\(String(format: "%02d", $0 % 60)) INFO [Api] request \($0) served"
      } + ["2024-01-15 08:01:00 INFO [Shop] checkout step 3 of 4"]
    try log.joined(separator: "\n").write(
      toFile: directory + "/shop.log", atomically: true, encoding: .utf8)
    let rulesOnly = try loupe(
      ["analyze", "shop.log", "-q", "--output", "rules-only", "--detectors", "rules"],
      in: directory)
    #expect(rulesOnly.status == 0)
    let csv = try String(
      contentsOfFile: directory + "/rules-only/shop_anomalies.csv", encoding: .utf8)
    let row = try #require(
      csv.split(separator: "\n").first { $0.contains("rule 'checkout-trouble'") })
    // 0.8 is "high" by default but only "low" under these thresholds.
    #expect(row.contains(",low,"))
    let run = try loupe(["analyze", "shop.log", "-q", "--output", "out"], in: directory)
    #expect(run.status == 0)
    let summary = try String(contentsOfFile: directory + "/out/shop_summary.json", encoding: .utf8)
    #expect(summary.contains("\"name\" : \"lof\""))
    #expect(summary.contains("\"name\" : \"autoencoder\""))
    #expect(summary.contains("\"severity_thresholds\" : \"0.99/0.98/0.97/0.5\""))

    try "rules:\n  - name: broken\n    pattern: '(unclosed'\n".write(
      toFile: directory + "/bad.yaml", atomically: true, encoding: .utf8)
    let bad = try loupe(["analyze", "shop.log", "--config", "bad.yaml"], in: directory)
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("bad.yaml: invalid config: rules: rule 'broken': invalid pattern"))
  }

  @Test func sessionsFromTheCommandLineAndTheirEvaluation() throws {
    let directory = try temporaryDirectory()
    let generated = try loupe(
      ["generate", "sessions", "--lines", "20000", "--output", "s.log", "--labels", "s.csv"],
      in: directory)
    #expect(generated.status == 0)
    let run = try loupe(
      [
        "analyze", "s.log", "--session-key", #"blk_-?\d+"#, "--train-fraction", "0.5",
        "--labels", "s.csv", "--output", "out", "-q",
      ], in: directory)
    #expect(run.status == 0, "\(run.stderr)")
    let sessions = try String(contentsOfFile: directory + "/out/s_sessions.csv", encoding: .utf8)
    #expect(sessions.hasPrefix("session,start,end,records,score,severity,anomalous,reason"))
    let evaluation = try loupe(
      ["evaluate", "detection", "--level", "session", "--labels", "s.csv", "--predicted", "out"],
      in: directory)
    #expect(evaluation.status == 0)
    #expect(evaluation.stdout.contains("labelled sessions"))
    #expect(evaluation.stdout.contains("not judged (training share or not found)"))
    let summary = try String(contentsOfFile: directory + "/out/s_summary.json", encoding: .utf8)
    #expect(summary.contains("\"grouping\" : \"key blk_-?\\\\d+\""))
    #expect(summary.contains("\"tfidf\" : \"true\""))
    let raw = try loupe(
      ["analyze", "s.log", "--session-key", #"blk_-?\d+"#, "--no-tfidf", "--output", "raw", "-q"],
      in: directory)
    #expect(raw.status == 0)
    let rawSummary = try String(contentsOfFile: directory + "/raw/s_summary.json", encoding: .utf8)
    #expect(rawSummary.contains("\"tfidf\" : \"false\""))
    #expect(rawSummary.contains("\"invariants\""))

    for (arguments, message) in [
      (["--window", "5 parsecs"], "--window must be a duration"),
      (["--window", "5m", "--session-key", "x"], "either --session-key or --window"),
      (["--step", "1m"], "--step applies to --window"),
      (["--window", "1m", "--step", "5m"], "--step must be a duration no longer"),
      (["--train-fraction", "0.5"], "needs --session-key or --window"),
      (["--session-key", "x", "--train-fraction", "1.5"], "between 0 and 1"),
      (["--session-key", "(x"], "neither a field name nor a valid regular expression"),
    ] {
      let bad = try loupe(["analyze", "s.log"] + arguments, in: directory)
      #expect(bad.status == 64, "\(arguments)")
      #expect(bad.stderr.contains(message), "\(arguments): \(bad.stderr)")
    }
  }

  @Test func trainThenAnalyzeWithTheModel() throws {
    let directory = try temporaryDirectory()
    for (name, seed) in [("train", "1"), ("test", "2")] {
      let generated = try loupe(
        [
          "generate", "sessions", "--lines", "15000", "--seed", seed, "--output", "\(name).log",
          "--labels", "\(name).csv",
        ], in: directory)
      #expect(generated.status == 0)
    }
    let train = try loupe(
      [
        "train", "train.log", "--session-key", #"blk_-?\d+"#, "--labels", "train.csv", "--model",
        "model.json", "--json",
      ], in: directory)
    #expect(train.status == 0, "\(train.stderr)")
    let trained = try #require(
      try JSONSerialization.jsonObject(with: Data(train.stdout.utf8)) as? [String: Any])
    #expect(
      (trained["records"] as? Int ?? 0) + (trained["excluded_records"] as? Int ?? 0) == 15000)
    #expect((trained["excluded_sessions"] as? Int ?? 0) > 0)
    #expect(
      train.stdout.contains(
        "\"session_detectors\":[\"sequence\",\"pca\",\"invariants\",\"iforest\"]"))
    // The model brings its session key and format along.
    let analyze = try loupe(
      ["analyze", "test.log", "--model", "model.json", "--output", "out", "-q"], in: directory)
    #expect(analyze.status == 0, "\(analyze.stderr)")
    let evaluation = try loupe(
      [
        "evaluate", "detection", "--level", "session", "--labels", "test.csv", "--predicted", "out",
        "--json",
      ], in: directory)
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as? [String: Any])
    #expect((report["f1"] as? Double ?? 0) > 0.95)

    try "{\"format\":\"loupe-model\",\"version\":7}".write(
      toFile: directory + "/future.json", atomically: true, encoding: .utf8)
    let future = try loupe(["analyze", "test.log", "--model", "future.json"], in: directory)
    #expect(future.status == 1)
    #expect(future.stderr.contains("future.json: model format version 7 is newer"))
    let both = try loupe(
      ["analyze", "test.log", "--model", "model.json", "--state", "s.json"], in: directory)
    #expect(both.status == 64)
    let badTrain = try loupe(
      ["train", "test.log", "--model", "m.json", "--train-fraction", "0.5", "--session-key", "x"],
      in: directory)
    #expect(badTrain.status == 64)
  }

  @Test func formatAndLogFormatFlags() throws {
    let output = try temporaryDirectory()
    let forced = try loupe([
      "analyze", Self.sample, "--format", "plain", "--output", output, "--json",
    ])
    #expect(forced.status == 0)
    #expect(forced.stdout.contains("\"format\" : \"plain\""))
    let custom = try loupe([
      "analyze", Self.sample, "--log-format", "<Date> <Time> <Level> \\[<Component>\\] <Content>",
      "--output", output, "--json",
    ])
    #expect(custom.stdout.contains("\"format\" : \"log-format\""))
    #expect(custom.stdout.contains("\"unparsed_records\" : 0"))
  }
}

/// The README's three-command demo: generate, analyze, evaluate.
@Suite struct GenerateAnalyzeEvaluateTests {
  let cli = CommandLineTests()

  @Test func theDemoRunsEndToEnd() throws {
    let directory = try cli.temporaryDirectory()
    let generated = try cli.loupe(
      [
        "generate", "app", "--lines", "100000", "--output", "app.log", "--labels", "app.labels.csv",
      ],
      in: directory)
    #expect(generated.status == 0)
    #expect(generated.stdout.hasPrefix("wrote 100000 lines to app.log: "))
    #expect(
      try cli.loupe(["analyze", "app.log", "--all-records", "-q"], in: directory).status == 0)
    let evaluated = try cli.loupe(
      ["evaluate", "detection", "--labels", "app.labels.csv", "--predicted", "loupe-results"],
      in: directory)
    #expect(evaluated.status == 0)
    #expect(evaluated.stdout.contains("100000 labelled lines"))
    #expect(evaluated.stdout.contains("scores from records"))
    let report = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: directory + "/loupe-evaluation.json")))
        as? [String: Any])
    let recall = try #require(report["recall"] as? Double)
    let precision = try #require(report["precision"] as? Double)
    let auc = try #require(report["roc_auc"] as? Double)
    // The README's demo, as written there: the planted anomalies are found, few others.
    #expect(recall > 0.9)
    #expect(precision > 0.85)
    #expect(auc > 0.9)
    #expect((report["recall_by_kind"] as? [[String: Any]])?.isEmpty == false)
    // Each severity's cut, and the figures of one cut on request.
    let cuts = try #require(report["by_severity"] as? [[String: Any]])
    #expect(cuts.map { $0["severity"] as? String } == ["low", "medium", "high", "critical"])
    #expect(cuts.first?["f1"] as? Double == report["f1"] as? Double)
    let flaggedByCut = cuts.compactMap { $0["flagged"] as? Int }
    #expect(flaggedByCut == flaggedByCut.sorted(by: >))
    #expect(evaluated.stdout.contains("counting findings at or above:"))
    let high = try cli.loupe(
      [
        "evaluate", "detection", "--labels", "app.labels.csv", "--predicted", "loupe-results",
        "--min-severity", "high", "--json", "--output", "high.json",
      ], in: directory)
    #expect(high.status == 0, "\(high.stderr)")
    let highReport = try #require(
      try JSONSerialization.jsonObject(with: Data(high.stdout.utf8)) as? [String: Any])
    #expect(highReport["min_severity"] as? String == "high")
    #expect(highReport["f1"] as? Double == cuts[2]["f1"] as? Double)
    let predictedHigh =
      (highReport["true_positives"] as? Int ?? -1) + (highReport["false_positives"] as? Int ?? -1)
    #expect(predictedHigh == cuts[2]["flagged"] as? Int)
  }

  @Test func generateAndEvaluateRejectBadUsage() throws {
    let directory = try cli.temporaryDirectory()
    for arguments in [
      ["generate", "nonsense", "--lines", "10", "--output", "x.log"],
      ["generate", "app", "--lines", "0", "--output", "x.log"],
      ["generate", "app", "--lines", "10", "--anomaly-rate", "1.5", "--output", "x.log"],
      ["generate", "app", "--lines", "10", "--start", "yesterday", "--output", "x.log"],
      ["evaluate", "detection", "--labels", "a.csv", "--predicted", "b", "--level", "window"],
      ["evaluate", "detection", "--labels", "a.csv", "--predicted", "b", "--min-severity", "dire"],
    ] {
      let run = try cli.loupe(arguments, in: directory)
      #expect(run.status == 64, "\(arguments)")
    }
    let missing = try cli.loupe(
      ["evaluate", "detection", "--labels", "none.csv", "--predicted", "none"], in: directory)
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("none: no such file or directory"))
    try "line,score\n1,0.9\n".write(
      toFile: directory + "/plain_anomalies.csv", atomically: true, encoding: .utf8)
    try "line_number,label\n1,1\n2,0\n".write(
      toFile: directory + "/plain.labels.csv", atomically: true, encoding: .utf8)
    let noSeverity = try cli.loupe(
      [
        "evaluate", "detection", "--labels", "plain.labels.csv", "--predicted",
        "plain_anomalies.csv", "--min-severity", "high",
      ], in: directory)
    #expect(noSeverity.status == 1)
    #expect(noSeverity.stderr.contains("plain_anomalies.csv: has no severity column"))
    let unwritable = try cli.loupe(
      ["generate", "app", "--lines", "10", "--output", "/nonexistent/dir/x.log"], in: directory)
    #expect(unwritable.status == 1)
    #expect(unwritable.stderr.contains("/nonexistent/dir/x.log: cannot create"))
    let stdout = try cli.loupe(
      ["generate", "syslog", "--lines", "5", "--output", "-", "--start", "2025-03-01T00:00:00Z"],
      in: directory)
    #expect(stdout.stdout.split(separator: "\n").count == 5)
    #expect(stdout.stdout.hasPrefix("Mar  1 00:00:"))
  }
}

/// `loupe parse` and `loupe evaluate parsing` on a Loghub system.
@Suite struct ParseAndEvaluateParsingTests {
  let cli = CommandLineTests()

  @Test func parseWritesTheLoghubLayoutAndEvaluationReadsIt() throws {
    let directory = try cli.temporaryDirectory()
    let datasets = CommandLineTests.root.deletingLastPathComponent().appendingPathComponent(
      "shared/datasets/loghub-2k/HDFS")
    let parsed = try cli.loupe(
      [
        "parse", datasets.appendingPathComponent("HDFS_2k.log").path, "--format", "loghub:HDFS",
        "--output", "hdfs.csv",
      ],
      in: directory)
    #expect(parsed.status == 0)
    let structured = try String(contentsOfFile: directory + "/hdfs.csv", encoding: .utf8)
    let lines = structured.split(separator: "\n")
    #expect(lines.first == "LineId,Date,Time,Pid,Level,Component,Content,EventId,EventTemplate")
    #expect(lines.count == 2001)
    #expect(
      lines[1].hasPrefix(
        "1,081109,203615,148,INFO,dfs.DataNode$PacketResponder,PacketResponder 1 for block blk_38865049064139660 terminating,T"
      ))
    #expect(lines[1].hasSuffix(",PacketResponder <*> for block <*> terminating"))
    let templates = try String(contentsOfFile: directory + "/hdfs_templates.csv", encoding: .utf8)
    #expect(templates.hasPrefix("EventId,EventTemplate,Occurrences\n"))

    let evaluated = try cli.loupe(
      [
        "evaluate", "parsing", "--truth",
        datasets.appendingPathComponent("HDFS_2k.log_structured.csv").path,
        "--predicted", "hdfs.csv", "--json",
      ], in: directory)
    #expect(evaluated.status == 0)
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any])
    #expect((report["grouping_accuracy"] as? Double ?? 0) >= 0.99)
    #expect(report["lines"] as? Int == 2000)

    let missing = try cli.loupe(
      ["evaluate", "parsing", "--truth", "none.csv", "--predicted", "hdfs.csv"], in: directory)
    #expect(missing.status == 1)
  }
}

/// `--state` on parse and analyze.
@Suite struct TemplateStateFlagTests {
  let cli = CommandLineTests()

  @Test func stateIsWrittenReusedAndCheckedByName() throws {
    let directory = try cli.temporaryDirectory()
    let first = try cli.loupe(
      ["parse", CommandLineTests.sample, "--state", "miner.json", "--output", "a.csv"],
      in: directory)
    #expect(first.status == 0)
    let state = try String(contentsOfFile: directory + "/miner.json", encoding: .utf8)
    #expect(state.contains("loupe-template-state"))
    let second = try cli.loupe(
      ["analyze", CommandLineTests.sample, "--state", "miner.json", "-q", "--output", "out"],
      in: directory)
    #expect(second.status == 0)
    try "{\"format\":\"loupe-template-state\",\"version\":7,\"merge_threshold\":4,\"templates\":[]}"
      .write(
        toFile: directory + "/future.json", atomically: true, encoding: .utf8)
    let refused = try cli.loupe(
      ["parse", CommandLineTests.sample, "--state", "future.json"], in: directory)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("future.json: template state version 7 is newer"))
  }
}
