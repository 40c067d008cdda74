import Testing

@testable import LoupeCore

/// The Loghub systems whose samples are not shipped, on excerpts of their lines, and the
/// fallback for lines of an unknown format that start with a timestamp.
@Suite struct StampedAndLoghubExcerptTests {
  @Test(arguments: [
    (
      "HealthApp",
      "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
      "onStandStepChanged 3579", epoch(2017, 12, 23, 22, 15, 29) + 0.606
    ),
    (
      "Mac",
      "Jul  1 09:01:05 calvisitor-10-105-160-95 com.apple.CDScheduler[43]: Thermal pressure state: 1 Memory pressure state: 0",
      "Thermal pressure state: 1 Memory pressure state: 0", epoch(2024, 7, 1, 9, 1, 5)
    ),
    (
      "OpenSSH",
      "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
      "Invalid user webmaster from 173.234.31.186", epoch(2024, 12, 10, 6, 55, 46)
    ),
    (
      "OpenStack",
      #"nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-38101a0b-2096-447d-96ea-a692162415ae 113d3a99c3da401fbd62cc2caa5b96d2 54fadb412c4e40cdbaed9335e4c35a9e - - -] 10.11.10.1 "GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2477829"#,
      #"10.11.10.1 "GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2477829"#,
      epoch(2017, 5, 16) + 0.008
    ),
    (
      "Proxifier",
      "[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS",
      "proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS",
      epoch(2024, 10, 30, 16, 49, 6)
    ),
  ])
  func loghubExcerpt(system: String, line: String, message: String, time: Double) throws {
    let read = try Fixtures.read(line + "\n", format: "loghub:\(system)")
    #expect(read.unparsedCount == 0)
    #expect(read.text(read.records[0].message) == message)
    #expect(abs((read.records[0].timestamp ?? 0) - time) < 1e-6)
  }

  @Test func openStackAndProxifierAreRecognised() throws {
    let openStack = try Fixtures.read(
      """
      nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:04.500 2931 INFO nova.compute.manager [req-3ea4052c-895d-4b64-9e2d-04d64c4d94ab - - - - -] [instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] VM Started (Lifecycle Event)
      nova-compute.log.1.2017-05-16_13:55:31 2017-05-16 00:00:05.185 2931 WARNING nova.compute.manager [req-addc1839-2ed5-4778-b57e-5854eb7b8b09 - - - - -] [instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] Instance shutdown by itself.

      """)
    #expect(openStack.formatName == "loghub:OpenStack")
    #expect(openStack.records.map(\.level) == [.info, .warning])
    #expect(openStack.text(openStack.records[1].component) == "nova.compute.manager")
    let proxifier = try Fixtures.read(
      """
      [10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS
      [10.30 16:49:07] chrome.exe - proxy.cse.cuhk.edu.hk:5070 close, 0 bytes sent, 0 bytes received, lifetime <1 sec

      """)
    #expect(proxifier.formatName == "loghub:Proxifier")
    #expect(proxifier.text(proxifier.records[0].process) == "chrome.exe")
  }

  /// Lines of no known format that start with a timestamp, or carry it after a word or two.
  @Test func unknownLinesWithATimestampKeepTheirTimeAndLevel() throws {
    let read = try Fixtures.read(
      """
      host-1 2024-01-15T08:00:00Z ERROR: disk full on /var
      host-2 2024-01-15T08:00:05Z [WARN] [pool] connections exhausted
      host-1 2024-01-15T08:00:09Z 4711 info worker started
      host-3 2024-01-15T08:01:00Z alert triggered on rule 5
      1705305600 ~ job done
      and a line without one

      """)
    #expect(read.formatName == "stamped")
    let records = read.records
    #expect(
      records.map(\.timestamp) == [
        epoch(2024, 1, 15, 8), epoch(2024, 1, 15, 8, 0, 5), epoch(2024, 1, 15, 8, 0, 9),
        epoch(2024, 1, 15, 8, 1), 1_705_305_600, nil,
      ])
    #expect(records.map(\.level) == [.error, .warning, .info, nil, nil, nil])
    #expect(read.text(records[0].message) == "disk full on /var")
    #expect(read.text(records[1].message) == "connections exhausted")
    #expect(read.text(records[1].component) == "pool")
    #expect(records[2].pid == 4711)
    #expect(read.text(records[3].message) == "alert triggered on rule 5")
    #expect(read.field(0, "prefix") == "host-1")
    #expect(read.unparsedCount == 1)
  }

  @Test func aNumberAfterAWordIsNoTimestamp() throws {
    let read = try Fixtures.read(
      "user 1705305600 logged in\nuser 1705305601 logged out\n", format: "stamped")
    #expect(read.records.allSatisfy { $0.timestamp == nil })
    #expect(read.unparsedCount == 2)
  }

  @Test func plainTextStaysPlain() throws {
    #expect(try Fixtures.read("just some words\nand more words\n").formatName == "plain")
  }
}
