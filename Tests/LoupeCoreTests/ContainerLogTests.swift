import Testing

@testable import LoupeCore

/// klog/glog headers, Kubernetes container logs and Docker's JSON log file, whose messages are
/// lines of another format.
@Suite struct ContainerLogTests {
  static let klog = #"""
    I0115 08:00:00.123456       1 server.go:123] Starting kubelet
    W0115 08:00:02.323456       1 reflector.go:324] watch of *v1.Pod ended with: too old resource version: 123 (456)
    E0115 08:00:03.423456      17 kubelet.go:2352] "Error syncing pod, skipping" err="image pull failed" pod="default/web-1"
    F0115 08:00:05.623456       1 main.go:55] failed to start: bind: address already in use

    """#

  @Test func klogHeaders() throws {
    let read = try Fixtures.read(Self.klog)
    #expect(read.formatName == "klog")
    #expect(read.unparsedCount == 0)
    #expect(read.records.map(\.level) == [.info, .warning, .error, .critical])
    #expect(read.records[0].timestamp == epoch(2024, 1, 15, 8, 0, 0) + 0.123456)
    #expect(read.text(read.records[2].component) == "kubelet.go")
    #expect(read.records[2].pid == 17)
    #expect(read.field(2, "source_line") == "2352")
    #expect(read.text(read.records[0].message) == "Starting kubelet")
    #expect(
      read.text(read.records[3].message) == "failed to start: bind: address already in use")
  }

  @Test func glogHeadersWithTheYear() throws {
    let read = try Fixtures.read(
      """
      I20230704 10:11:12.000500  4242 worker.cc:88] job 17 done
      E20230704 10:11:13.250000  4242 worker.cc:91] job 18 failed: disk full

      """)
    #expect(read.formatName == "klog")
    #expect(read.records[1].timestamp == epoch(2023, 7, 4, 10, 11, 13) + 0.25)
    #expect(read.records.map(\.level) == [.info, .error])
    #expect(read.text(read.records[1].message) == "job 18 failed: disk full")
  }

  @Test func klogLinesInSyslog() throws {
    let read = try Fixtures.read(
      #"""
      Jan 15 08:00:00 node1 kubelet[1234]: E0115 08:00:00.123456    1234 pod_workers.go:951] "Error syncing pod, skipping" pod="default/web-1"
      Jan 15 08:00:01 node1 systemd[1]: Started Session 42 of user root.
      <30>Jan 15 08:00:02 node1 kubelet[1234]: E0115 08:00:02.000000    1234 kubelet.go:2352] node not ready

      """#)
    #expect(read.formatName == "syslog")
    #expect(read.records.map(\.level) == [.error, nil, .info])
    #expect(read.text(read.records[0].process) == "kubelet")
    #expect(read.text(read.records[0].component) == "kubelet")
    #expect(read.field(0, "source_line") == "951")
    #expect(read.records[0].pid == 1234)
    #expect(
      read.text(read.records[0].message) == #""Error syncing pod, skipping" pod="default/web-1""#)
    #expect(read.text(read.records[2].message) == "node not ready")
  }

  @Test func containerLogsWithJSONContents() throws {
    let read = try Fixtures.read(
      #"""
      2024-01-15T08:00:00.123456789Z stdout F {"level":"info","logger":"api","msg":"request served","path":"/orders"}
      2024-01-15T08:00:01.123456789Z stderr F {"level":"error","logger":"db","msg":"connection refused","host":"postgres"}
      2024-01-15T08:00:02.123456789Z stdout P {"level":"info","logger":"api","msg":"request
      2024-01-15T08:00:02.123456789Z stdout F  served","path":"/orders"}

      """#)
    #expect(read.formatName == "cri+json")
    #expect(read.records.count == 3)
    #expect(read.records[0].timestamp == epoch(2024, 1, 15, 8, 0, 0) + 0.123456789)
    #expect(read.records[1].level == .error)
    #expect(read.text(read.records[1].component) == "db")
    #expect(read.text(read.records[1].message) == "connection refused")
    #expect(read.field(1, "stream") == "stderr")
    #expect(read.field(1, "host") == "postgres")
    // A line the runtime split is one record again, parsed whole.
    #expect(read.field(2, "tag") == "F")
    #expect(read.records[2].level == .info)
    #expect(read.text(read.records[2].message) == "request served")
    #expect(read.field(2, "path") == "/orders")
    #expect(read.records[2].line == 3)
    #expect(read.records[2].lineCount == 2)
  }

  /// A long event split in three, with the other stream's line between its parts; a part
  /// whose line never ends stays as it is.
  @Test func theRuntimesPartsOfALineAreJoined() throws {
    let long = String(repeating: "x", count: 40)
    let read = try Fixtures.read(
      #"""
      2024-01-15T08:00:00.000000001Z stdout F {"level":"info","msg":"started"}
      2024-01-15T08:00:01.000000001Z stdout P {"level":"error","msg":"upload failed","body":"\#(long)
      2024-01-15T08:00:01.000000002Z stderr F {"level":"warn","msg":"slow disk"}
      2024-01-15T08:00:01.000000003Z stdout P \#(long)
      2024-01-15T08:00:01.000000004Z stdout F \#(long)","user":"bob"}
      2024-01-15T08:00:02.000000001Z stdout F {"level":"info","msg":"done"}
      2024-01-15T08:00:03.000000001Z stderr P {"level":"info","msg":"cut

      """#)
    #expect(read.formatName == "cri+json")
    #expect(read.records.map(\.line) == [1, 2, 3, 6, 7])
    let joined = read.records[1]
    #expect(joined.level == .error)
    #expect(read.text(joined.message) == "upload failed")
    #expect(read.field(1, "body") == String(repeating: long, count: 3))
    #expect(read.field(1, "user") == "bob")
    #expect(joined.lineCount == 4)
    #expect(joined.timestamp == epoch(2024, 1, 15, 8, 0, 1) + 0.000000001)
    #expect(read.records[2].level == .warning)
    #expect(read.field(4, "tag") == "P")
    #expect(read.records[4].level == nil)
    // Reports show the joined line's own text, not the runtime's prefixes.
    #expect(
      read.buffer.string(FieldMessage.recordText(joined, read.buffer)) == "upload failed")
  }

  @Test func containerLogsWithKlogAndPlainContents() throws {
    let klog = try Fixtures.read(
      """
      2024-01-15T08:00:00.123456789Z stderr F I0115 08:00:00.120000       1 controller.go:123] Starting controller
      2024-01-15T08:00:01.123456789Z stderr F E0115 08:00:01.120000       1 controller.go:130] Failed to sync: connection refused

      """)
    #expect(klog.formatName == "cri+klog")
    #expect(klog.records.map(\.level) == [.info, .error])
    #expect(klog.text(klog.records[1].component) == "controller.go")
    #expect(klog.text(klog.records[1].message) == "Failed to sync: connection refused")

    let plain = try Fixtures.read(
      """
      2024-01-15T08:00:00.123456789Z stdout F Starting server
      2024-01-15T08:00:01.123456789Z stderr F panic: runtime error: index out of range

      """)
    #expect(plain.formatName == "cri")
    #expect(plain.text(plain.records[1].message) == "panic: runtime error: index out of range")
    #expect(plain.text(plain.records[1].host) == nil)
    #expect(plain.text(plain.records[1].component) == nil)

    let named = try Fixtures.read(
      "2024-01-15T08:00:00Z stdout F 2024-01-15 08:00:00,120 ERROR [db] Connection refused\n",
      format: "cri")
    #expect(named.formatName == "cri+app")
    #expect(named.records[0].level == .error)
    #expect(named.text(named.records[0].message) == "Connection refused")
  }

  @Test func aContainersStackTraceIsOneRecord() throws {
    let read = try Fixtures.read(
      """
      2024-01-15T08:00:00.000000001Z stdout F 2024-01-15 08:00:00,001 INFO [main] Started
      2024-01-15T08:00:01.000000001Z stderr F 2024-01-15 08:00:01,001 ERROR [main] Request failed
      2024-01-15T08:00:01.000000002Z stderr F java.lang.NullPointerException: name is null
      2024-01-15T08:00:01.000000003Z stderr F \tat com.example.Api.handle(Api.java:42)
      2024-01-15T08:00:01.000000004Z stderr F Caused by: java.io.IOException: closed
      2024-01-15T08:00:02.000000001Z stdout F 2024-01-15 08:00:02,001 INFO [main] Recovered

      """)
    #expect(read.formatName == "cri+app")
    #expect(read.records.count == 3)
    #expect(read.records[1].lineCount == 4)
    #expect(read.records[1].level == .error)
    #expect(read.records[2].line == 6)
    #expect(read.unparsedCount == 0)
  }

  @Test func dockerJSONLogsWithApplicationLines() throws {
    let read = try Fixtures.read(
      #"""
      {"log":"2024-01-15 08:00:00,123 INFO [main] Server started on port 8080\n","stream":"stdout","time":"2024-01-15T08:00:00.123456789Z"}
      {"log":"2024-01-15 08:00:01,123 ERROR [db] Connection refused to \"postgres\"\n","stream":"stderr","time":"2024-01-15T08:00:01.123456789Z"}

      """#)
    #expect(read.formatName == "json+app")
    #expect(read.records.map(\.level) == [.info, .error])
    #expect(read.text(read.records[1].component) == "db")
    #expect(read.text(read.records[1].message) == #"Connection refused to "postgres""#)
    #expect(read.text(read.records[0].message) == "Server started on port 8080")
  }

  /// Docker's log file splits a long line into objects whose `log` lacks the line end; a
  /// shipper that strips every line end does not make every line a part.
  @Test func dockersPartsOfALineAreJoined() throws {
    let long = String(repeating: "y", count: 30)
    let text = #"""
      {"log":"2024-01-15 08:00:00,123 INFO [main] Server started\n","stream":"stdout","time":"2024-01-15T08:00:00.1Z"}
      {"log":"2024-01-15 08:00:01,123 ERROR [db] Query failed: \#(long)","stream":"stdout","time":"2024-01-15T08:00:01.1Z"}
      {"log":"2024-01-15 08:00:01,200 WARN [gc] Pause 2 s\n","stream":"stderr","time":"2024-01-15T08:00:01.2Z"}
      {"log":"\#(long) (user \"bob\")\n","stream":"stdout","time":"2024-01-15T08:00:01.3Z"}
      {"log":"2024-01-15 08:00:02,123 INFO [main] Done\n","stream":"stdout","time":"2024-01-15T08:00:02.1Z"}

      """#
    let read = try Fixtures.read(text)
    #expect(read.formatName == "json+app")
    #expect(read.records.map(\.line) == [1, 2, 3, 5])
    #expect(read.records[1].level == .error)
    #expect(read.text(read.records[1].component) == "db")
    #expect(read.text(read.records[1].message) == "Query failed: \(long)\(long) (user \"bob\")")
    #expect(read.records[1].lineCount == 3)
    #expect(read.records[2].level == .warning)

    let stripped = try Fixtures.read(text.replacingOccurrences(of: #"\n""#, with: "\""))
    #expect(stripped.records.count == 5)
  }

  @Test func jsonMessagesThatAreNotLogLinesStayAsTheyAre() throws {
    let read = try Fixtures.read(
      #"""
      {"level":"info","msg":"user logged in\n"}
      {"level":"warn","msg":"2024-01-15 was a Monday"}

      """#)
    #expect(read.formatName == "json")
    #expect(read.text(read.records[0].message) == "user logged in")
    #expect(read.text(read.records[1].message) == "2024-01-15 was a Monday")
  }

  @Test func onlyEscapedLineEndsAreTrimmed() {
    func trimmedEnd(_ text: String) -> Int {
      let bytes = Array(text.utf8)
      return bytes.withUnsafeBufferPointer {
        JSONLinesFormat.withoutTrailingNewlines(
          TextRef(ByteSpan(0, bytes.count), .jsonEscaped), $0
        ).span.end
      }
    }
    #expect(trimmedEnd(#"ab\n"#) == 2)
    #expect(trimmedEnd(#"ab\r\n"#) == 2)
    // An escaped backslash followed by the letter n is text.
    #expect(trimmedEnd(#"ab\\n"#) == 5)
  }

  @Test func anErrorInsideAContainerIsAFinding() throws {
    var lines = (0..<400).map {
      "2024-01-15T08:\(String(format: "%02d", $0 / 60)):\(String(format: "%02d", $0 % 60)).000000000Z stdout F {\"level\":\"info\",\"msg\":\"request served\",\"path\":\"/orders\"}"
    }
    lines[200] =
      "2024-01-15T08:03:20.000000000Z stderr F {\"level\":\"error\",\"msg\":\"database connection refused\"}"
    let result = try Fixtures.analyze(lines)
    let finding = try #require(result.findings.first { $0.record == 200 })
    #expect(finding.detectors.contains("rules"))
  }

  @Test func sourceLinesAndPortsAreNotMeasurements() {
    #expect(RecordFeatures.isLabelName("source_line"))
    #expect(RecordFeatures.isLabelName("lineno"))
    #expect(RecordFeatures.isLabelName("client_port"))
    #expect(RecordFeatures.isLabelName("dstport"))
    #expect(RecordFeatures.isLabelName("Event ID"))
    #expect(RecordFeatures.isLabelName("ActionId"))
    #expect(RecordFeatures.isLabelName("request_id"))
    #expect(!RecordFeatures.isLabelName("response_time"))
    #expect(!RecordFeatures.isLabelName("bytes"))
    // Flattened JSON names, by their last part (Suricata's `dns.id`, ECS's `source.port`).
    #expect(RecordFeatures.isLabelName("dns.id"))
    #expect(RecordFeatures.isLabelName("trace.id"))
    #expect(RecordFeatures.isLabelName("source.port"))
    #expect(!RecordFeatures.isLabelName("http.response.bytes"))
  }

  @Test func aFlattenedIdIsNoMeasurement() throws {
    let lines = (0..<500).map { index -> String in
      let id = index == 250 ? 7 : 30_000 + index * 37 % 997
      return
        #"{"timestamp":"2024-01-15T08:\#(String(format: "%02d:%02d", index / 60, index % 60))Z","event_type":"dns","dns":{"id":\#(id),"rrname":"example.com","bytes":\#(200 + index % 40)}}"#
    }
    let result = try Fixtures.analyze(lines, detectors: ["extremes"])
    let report = try #require(result.reports.first)
    #expect(report.parameters["fields"] == "dns.bytes")
    #expect(result.findings.isEmpty)
  }
}
