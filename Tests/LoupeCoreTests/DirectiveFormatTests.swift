import Testing

@testable import LoupeCore

/// Delimited files whose columns a `#Fields` directive names: W3C extended logs (IIS) and Zeek.
@Suite struct DirectiveFormatTests {
  static let iis = """
    #Software: Microsoft Internet Information Services 10.0
    #Version: 1.0
    #Date: 2024-01-15 08:00:00
    #Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken
    2024-01-15 08:00:00 10.0.0.1 GET /default.htm - 443 - 192.168.1.5 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 15
    2024-01-15 08:00:01 10.0.0.1 POST /api/orders - 443 - 192.168.1.6 Mozilla/5.0+(Windows+NT+10.0) - 500 0 0 868
    2024-01-15 08:00:02 10.0.0.1 GET /scripts/..%2f..%2fwindows/win.ini - 443 - 192.168.1.7 sqlmap/1.7 - 404 0 2 3

    """

  @Test func iisW3CLogs() throws {
    let read = try Fixtures.read(Self.iis)
    #expect(read.formatName == "w3c")
    #expect(read.records.count == 3)
    #expect(read.records.map(\.line) == [5, 6, 7])
    #expect(read.records.map(\.timestamp) == (0..<3).map { epoch(2024, 1, 15, 8, 0, $0) })
    #expect(read.records.map(\.level) == [.info, .error, .warning])
    #expect(read.field(1, "cs-uri-stem") == "/api/orders")
    #expect(read.field(2, "cs(User-Agent)") == "sqlmap/1.7")
    #expect(try Fixtures.read(Self.iis, format: "iis").formatName == "w3c")
  }

  @Test func iisRequestsAreJudgedAsAccessLogs() throws {
    let lines = Self.iis.split(separator: "\n").map(String.init)
    let result = try Fixtures.analyze(lines)
    let finding = try #require(result.findings.first { $0.record == 2 })
    #expect(finding.reason.contains("attack marker"))
    #expect(finding.reason.contains("scanner user agent (sqlmap)"))
  }

  @Test func zeekLogs() throws {
    let read = try Fixtures.read(
      """
      #separator \\x09
      #set_separator\t,
      #empty_field\t(empty)
      #unset_field\t-
      #path\tconn
      #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tconn_state
      #types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring
      1705305600.123456\tC1a2b3\t10.0.0.5\t51515\t93.184.216.34\t443\ttcp\tssl\tSF
      1705305601.500000\tC4d5e6\t10.0.0.6\t51516\t93.184.216.34\t53\tudp\tdns\tS0
      #close\t2024-01-15-09-00-00

      """)
    #expect(read.formatName == "zeek")
    #expect(read.records.count == 2)
    #expect(abs((read.records[0].timestamp ?? 0) - 1_705_305_600.123456) < 1e-6)
    #expect(read.field(1, "conn_state") == "S0")
    #expect(read.text(read.records[1].message)?.contains("proto=udp") == true)
  }

  @Test func aFileOfDirectivesOnlyIsRefusedByName() throws {
    let error = #expect(throws: InputProblem.self) {
      try Fixtures.analyze(["#Software: IIS", "#Fields: date time cs-method"])
    }
    #expect(error?.description.contains("only a header, comments or blank lines") == true)
    #expect(error?.description.contains("test.log") == true)
  }

  /// In a plain CSV file a status column is a measurement: it gives no level.
  @Test func aCSVStatusColumnGivesNoLevel() throws {
    let read = try Fixtures.read(
      "timestamp,status_code,cpu\n2024-01-15T08:00:00Z,404,3.5\n2024-01-15T08:00:01Z,500,4.0\n")
    #expect(read.formatName == "csv")
    #expect(read.records.map(\.level) == [nil, nil])
  }

  @Test func vpcFlowLogs() throws {
    let flows = """
      2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
      2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530011 1418530070 REJECT OK
      2 123456789010 eni-1a2b3c4d - - - - - - - 1431280876 1431280934 - NODATA

      """
    let read = try Fixtures.read(flows)
    #expect(read.formatName == "vpc-flow")
    #expect(read.records.count == 3)
    #expect(read.records[0].line == 1)
    #expect(read.records[1].timestamp == 1_418_530_011)
    #expect(read.field(1, "dstport") == "3389")
    #expect(read.field(1, "action") == "REJECT")
    #expect(read.text(read.records[1].message)?.contains("action=REJECT") == true)
    #expect(try Fixtures.read(flows, format: "vpc-flow").formatName == "vpc-flow")

    let custom = try Fixtures.read(
      """
      version vpc-id srcaddr dstaddr dstport action flow-direction start
      5 vpc-0a1b 10.0.0.5 10.0.1.9 443 ACCEPT egress 1418530010
      5 vpc-0a1b 10.0.0.6 10.0.1.9 22 REJECT ingress 1418530012

      """)
    #expect(custom.formatName == "vpc-flow")
    #expect(custom.records.count == 2)
    #expect(custom.records[1].timestamp == 1_418_530_012)
    #expect(custom.field(1, "flow-direction") == "ingress")
  }
}
