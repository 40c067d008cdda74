import Testing

@testable import LoupeCore

@Suite struct SyslogAndStructuredTests {
  @Test func rfc3164() throws {
    let result = try Fixtures.read(
      """
      Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0
      <34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8
      Jun 19 04:09:11 combo syslogd 1.4.1: restart.
      """, format: "syslog")
    #expect(result.records.allSatisfy { $0.parsed })
    #expect(result.text(result.records[0].host) == "combo")
    #expect(result.text(result.records[0].process) == "sshd(pam_unix)")
    #expect(result.records[0].pid == 19939)
    #expect(result.text(result.records[0].message) == "authentication failure; logname= uid=0")
    #expect(result.records[0].timestamp == epoch(2024, 6, 14, 15, 16, 1))
    #expect(result.records[1].level == .critical)
    #expect(result.text(result.records[1].process) == "su")
    #expect(result.text(result.records[2].message) == "1.4.1: restart.")
  }

  /// Cisco's message codes: the severity digit is the level, the facility the component.
  @Test func ciscoMessageCodes() throws {
    let result = try Fixtures.read(
      """
      Jan 15 08:00:00 fw01 %ASA-6-302013: Built outbound TCP connection 1234 for outside:93.184.216.34/443 to inside:10.0.0.5/51515
      Jan 15 08:00:01 fw01 %ASA-1-106021: Deny TCP reverse path check from 10.0.0.9 to 10.0.0.1 on interface outside
      Jan 15 08:00:02 router1 123: *Jan 15 08:00:02.123: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down
      Jan 15 08:00:03 router1 124: *Jan 15 08:00:03.456: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.7)

      """, format: "syslog")
    #expect(result.records.map(\.level) == [.info, .alert, .error, .notice])
    #expect(result.records.map { result.text($0.component) } == ["ASA", "ASA", "LINK", "SYS"])
    #expect(result.field(1, "mnemonic") == "106021")
    #expect(result.field(3, "mnemonic") == "CONFIG_I")
    #expect(
      result.text(result.records[2].message)
        == "Interface GigabitEthernet0/1, changed state to down")
    #expect(
      result.text(result.records[1].message)
        == "Deny TCP reverse path check from 10.0.0.9 to 10.0.0.1 on interface outside")
    let codes = [
      "%ASA-4-106023", "%ETHPORT-5-IF_DOWN_LINK_FAILURE", "%ASA-9-1", "%abc-1-X", "%A-1",
    ]
    let parsed = codes.map { code in
      Array(code.utf8).withUnsafeBufferPointer {
        CiscoMessage.parse($0, ByteSpan(0, $0.count)).map(\.severity)
      }
    }
    #expect(parsed == [4, 5, nil, nil, nil])
  }

  @Test func rfc5424WithStructuredData() throws {
    let result = try Fixtures.read(
      """
      <165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 812 ID47 [exampleSDID@32473 iut="3" eventSource="Application"] An application event
      <13>1 2024-01-15T08:00:00+01:00 host app - - - plain message
      """)
    #expect(result.formatName == "syslog")
    let first = result.records[0]
    #expect(first.level == .notice)
    #expect(result.text(first.host) == "mymachine.example.com")
    #expect(result.text(first.process) == "evntslog")
    #expect(first.pid == 812)
    #expect(result.field(0, "msgid") == "ID47")
    #expect(result.field(0, "sd.exampleSDID@32473.eventSource") == "Application")
    #expect(result.text(first.message) == "An application event")
    #expect(abs((first.timestamp ?? 0) - (epoch(2003, 10, 11, 22, 14, 15) + 0.003)) < 1e-6)
    #expect(result.records[1].timestamp == epoch(2024, 1, 15, 7))
    #expect(result.text(result.records[1].message) == "plain message")
  }

  @Test func jsonLinesWithNestingEscapesAndNumericLevels() throws {
    let result = try Fixtures.read(
      """
      {"timestamp":"2024-01-15T08:00:00Z","level":"ERROR","logger":"db.pool","message":"pool \\"main\\" exhausted\\nretrying","ctx":{"pool":{"size":10}},"tags":["a","b"]}
      {"time":1705305601000,"level":50,"msg":"crash","service":"api","pid":42}
      {"ts": 1705305602, "severity": "warn", "event": "caf\\u00e9 \\ud83d\\ude00"}
      """)
    #expect(result.formatName == "json")
    let first = result.records[0]
    #expect(first.level == .error)
    #expect(first.timestamp == epoch(2024, 1, 15, 8))
    #expect(result.text(first.component) == "db.pool")
    #expect(result.text(first.message) == "pool \"main\" exhausted\nretrying")
    #expect(result.field(0, "ctx.pool.size") == "10")
    #expect(result.field(0, "tags") == "[\"a\",\"b\"]")
    #expect(result.records[1].timestamp == epoch(2024, 1, 15, 8, 0, 1))
    #expect(result.records[1].level == .error)
    #expect(result.records[1].pid == 42)
    #expect(result.text(result.records[1].component) == "api")
    #expect(result.records[2].level == .warning)
    #expect(result.text(result.records[2].message) == "café 😀")
  }

  /// Elasticsearch's ECS log (`log.level`, `log.logger`) and Rust's `tracing` JSON (the message
  /// under `fields`).
  @Test func ecsAndTracingNames() throws {
    let result = try Fixtures.read(
      """
      {"@timestamp":"2024-01-15T08:00:00.000Z","log.level":"WARN","message":"high disk watermark exceeded","ecs.version":"1.2.0","log.logger":"org.elasticsearch.cluster.routing.allocation.DiskThresholdMonitor"}
      {"timestamp":"2024-01-15T08:00:01.000Z","level":"ERROR","fields":{"message":"connection reset","peer":"10.0.0.5"},"target":"app::db"}
      """)
    #expect(result.records.map(\.level) == [.warning, .error])
    #expect(
      result.text(result.records[0].component)
        == "org.elasticsearch.cluster.routing.allocation.DiskThresholdMonitor")
    #expect(result.text(result.records[1].message) == "connection reset")
  }

  /// IIS and NXLog write the date and the time of day in two fields, or the date and a full
  /// timestamp: the record's instant is to the second, not the day's midnight.
  @Test func jsonDateAndTimeInSeparateFields() throws {
    let result = try Fixtures.read(
      """
      {"date":"2024-01-15","time":"08:20:30","msg":"a"}
      {"date":"2024-01-15","EventTime":"2024-01-15 09:00:01","msg":"b"}
      {"date":"2024-01-15","time":"8:05","msg":"c"}
      {"date":"2024-01-15","msg":"d"}
      {"time":"2024-01-15T10:00:00Z","date":"2023-01-01","msg":"e"}
      """)
    #expect(result.formatName == "json")
    #expect(
      result.records.map(\.timestamp) == [
        epoch(2024, 1, 15, 8, 20, 30), epoch(2024, 1, 15, 9, 0, 1), epoch(2024, 1, 15, 8, 5),
        epoch(2024, 1, 15), epoch(2024, 1, 15, 10),
      ])
    let bytes = Array("12:61".utf8)
    #expect(
      bytes.withUnsafeBufferPointer { JSONLinesFormat.secondsOfDay($0, ByteSpan(0, 5)) } == nil)
  }

  @Test func logfmt() throws {
    let result = try Fixtures.read(
      """
      time=2024-01-15T08:00:00Z level=info msg="user logged in" user=42 service=auth
      time=2024-01-15T08:00:01Z level=error msg="db \\"down\\"" retry dur=1.5s
      """)
    #expect(result.formatName == "logfmt")
    #expect(result.records[0].level == .info)
    #expect(result.text(result.records[0].message) == "user logged in")
    #expect(result.text(result.records[0].component) == "auth")
    #expect(result.field(0, "user") == "42")
    #expect(result.records[1].level == .error)
    #expect(result.text(result.records[1].message) == "db \"down\"")
    #expect(result.field(1, "dur") == "1.5s")
  }

  @Test func applicationLogFamily() throws {
    let result = try Fixtures.read(
      """
      2024-01-15 08:00:00 INFO [PaymentService] User login successful: user_id=78646
      2024-01-15 08:00:01,123 ERROR [main] com.example.Billing: charge failed
      2024-01-15 08:00:02,456 [worker-1] WARN com.example.Queue - queue is filling up
      2024-01-15 08:00:03,789 - myapp.db - CRITICAL - connection lost
      [2024-01-15 08:00:04] [DEBUG] cache warmed
      2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200
      """, format: "app")
    #expect(result.records.allSatisfy { $0.parsed })
    #expect(result.records.map(\.level) == [.info, .error, .warning, .critical, .debug, .info])
    #expect(
      result.records.map { result.text($0.component) } == [
        "PaymentService", "com.example.Billing", "com.example.Queue", "myapp.db", nil,
        "QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774",
      ])
    #expect(
      result.records.map { result.text($0.message) } == [
        "User login successful: user_id=78646", "charge failed", "queue is filling up",
        "connection lost", "cache warmed", "Notification time out: 3200",
      ])
    #expect(result.field(1, "thread") == "main")
    #expect(result.field(2, "thread") == "worker-1")
    #expect(abs((result.records[1].timestamp ?? 0) - (epoch(2024, 1, 15, 8, 0, 1) + 0.123)) < 1e-6)
  }

  @Test func logTrackerDatasetIsReadWhole() throws {
    let (source, _) = try InputReader.read(.file(Fixtures.dataset("log-tracker/security.log")))
    let result = try RecordReader.read(source, options: ReadOptions())
    #expect(result.formatName == "app")
    #expect(result.records.count == 15_000)
    #expect(result.unparsedCount == 0)
    #expect(result.records.allSatisfy { $0.timestamp != nil })
  }
}

@Suite struct ApplicationLogEdgeTests {
  @Test func messagesStartingWithAColonWordKeepIt() throws {
    let result = try Fixtures.read(
      """
      2024-01-15 08:00:00 ERROR [Billing] Failed: card declined
      2024-01-15 08:00:01 FATAL [Inventory] java.lang.OutOfMemoryError: Java heap space
      """, format: "app")
    #expect(result.text(result.records[0].component) == "Billing")
    #expect(result.text(result.records[0].message) == "Failed: card declined")
    #expect(result.text(result.records[1].component) == "Inventory")
    #expect(result.text(result.records[1].message) == "java.lang.OutOfMemoryError: Java heap space")
  }
}
