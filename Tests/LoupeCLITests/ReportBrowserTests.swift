import Foundation
import Testing

/// Opens `STEM_report.html` in a real headless Chromium: the page loads without script errors,
/// the charts are there, log text stays text, and search and severity filters work (driven
/// through the address's fragment, which the page reads on load). A screenshot is left in
/// `.ci/artifacts/report.png`.
@Suite struct ReportBrowserTests {
  let cli = CommandLineTests()

  static var chromium: String? {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    where FileManager.default.isExecutableFile(atPath: candidate) {
      return candidate
    }
    return nil
  }

  func browse(_ arguments: [String]) throws -> (dom: String, log: String) {
    let browser = try #require(
      Self.chromium,
      "Chromium is needed: apt-get install -y --no-install-recommends chromium (.ci/run does)")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: browser)
    process.arguments =
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
      ] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let dom = output.fileHandleForReading.readDataToEndOfFile()
    let log = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (String(decoding: dom, as: UTF8.self), String(decoding: log, as: UTF8.self))
  }

  @Test func theReportWorksInARealBrowser() throws {
    let directory = try cli.temporaryDirectory()
    var lines: [String] = []
    for index in 0..<600 {
      let time = String(
        format: "2024-01-15 %02d:%02d:%02d", 8 + index / 3600, index / 60 % 60, index % 60)
      lines.append("\(time) INFO [Api] request \(index) served in \(20 + index % 30) ms")
    }
    lines += [
      "2024-01-15 09:00:00 ERROR [Db] Deadlock detected in transaction tx-1, rolling back",
      "2024-01-15 09:00:01 CRITICAL [Api] out of memory <script>alert('pwned')</script> \"><img src=x onerror=alert(1)>",
      "2024-01-15 09:00:02 ERROR [Auth] Authentication failed for user admin from 203.0.113.9",
    ]
    try lines.joined(separator: "\n").write(
      toFile: directory + "/web.log", atomically: true, encoding: .utf8)
    let run = try cli.loupe(
      ["analyze", "web.log", "--output", "out", "-q", "--plots", "plots"], in: directory)
    #expect(run.status == 0)
    let groups = try String(contentsOfFile: directory + "/out/web_summary.csv", encoding: .utf8)
    #expect(groups.hasPrefix("component,records,anomalies,anomaly_rate,critical,high,medium,low\n"))
    #expect(groups.contains("\nApi,601,"))
    for chart in [
      "severities", "timeline", "templates", "components", "levels", "heatmap-templates",
      "heatmap-hours",
    ] {
      let svg = try String(contentsOfFile: directory + "/plots/web_\(chart).svg", encoding: .utf8)
      #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), "\(chart)")
    }
    let page = directory + "/out/web_report.html"
    let html = try String(contentsOfFile: page, encoding: .utf8)
    #expect(!html.contains("<script>alert"))
    #expect(!html.contains("<img src=x"))
    #expect(!html.contains("http://") || html.contains("http://www.w3.org/2000/svg"))

    let all = try browse(["--dump-dom", "file://\(page)"])
    #expect(!all.log.contains("Uncaught"), "\(all.log)")
    #expect(all.dom.components(separatedBy: "<svg").count - 1 >= 6)
    #expect(all.dom.contains("id=\"chart-timeline\""))
    #expect(all.dom.contains("id=\"chart-heatmap-templates\""))
    let findings = all.dom.components(separatedBy: "<tr class=\"finding\"").count - 1
    #expect(findings >= 3)
    // The hostile message is text in a cell, not markup.
    #expect(all.dom.contains("&lt;script&gt;alert('pwned')&lt;/script&gt;"))
    #expect(!all.dom.contains("<img src=\"x\""))

    let searched = try browse(["--dump-dom", "file://\(page)#q=deadlock"])
    #expect(searched.dom.components(separatedBy: "<tr class=\"finding\"").count - 1 == 1)
    #expect(searched.dom.contains("Deadlock detected"))
    #expect(searched.dom.contains("1 of \(findings) findings"))

    let critical = try browse(["--dump-dom", "file://\(page)#severity=critical"])
    let criticalRows = critical.dom.components(separatedBy: "<tr class=\"finding\"").count - 1
    #expect(criticalRows >= 1 && criticalRows < findings)
    #expect(!critical.dom.contains("class=\"sev-medium\""))
    #expect(critical.dom.contains("data-severity=\"critical\" class=\"active\""))

    let sorted = try browse(["--dump-dom", "file://\(page)#sort=-score"])
    let scores = sorted.dom.components(separatedBy: "<tr class=\"finding\">").dropFirst().compactMap
    {
      row -> Double? in
      let cells = row.components(separatedBy: "<td")
      guard cells.count > 4, let start = cells[4].firstIndex(of: ">"),
        let end = cells[4].firstIndex(of: "<")
      else { return nil }
      return Double(cells[4][cells[4].index(after: start)..<end])
    }
    #expect(scores.count == findings)
    #expect(scores == scores.sorted(by: >))

    let artifacts = CommandLineTests.root.appendingPathComponent(".ci/artifacts").path
    try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
    let shot = artifacts + "/report.png"
    try? FileManager.default.removeItem(atPath: shot)
    _ = try browse(["--window-size=1280,2000", "--screenshot=\(shot)", "file://\(page)"])
    #expect(FileManager.default.fileExists(atPath: shot))
  }

  /// A run longer than a second draws a progress bar on standard error when it is a terminal
  /// (here a pseudo-terminal from `script`), and not otherwise.
  @Test func progressBarOnATerminalOnly() throws {
    let directory = try cli.temporaryDirectory()
    let generated = try cli.loupe(
      ["generate", "app", "--lines", "150000", "--output", "big.log"], in: directory)
    #expect(generated.status == 0)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.arguments = [
      "-q", "-e", "-c", "\(CommandLineTests.executable.path) analyze big.log --output out",
      "/dev/null",
    ]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(
      text.range(of: #"\[[#.]{24}\] +[0-9]+%  big\.log: [a-z]"#, options: .regularExpression)
        != nil,
      "\(text.prefix(500))")
    // Without a terminal: no bar.
    let plain = try cli.loupe(["analyze", "big.log", "--output", "out2"], in: directory)
    #expect(!plain.stderr.contains("%  big.log"))
  }
}
