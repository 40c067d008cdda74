import Testing

@testable import LoupeCore

@Suite struct TemplateMinerTests {
  func mine(_ lines: [String]) throws -> (ReadResult, TemplateMiner.Result) {
    let read = try Fixtures.read(lines.joined(separator: "\n") + "\n", format: "plain")
    return (read, TemplateMiner().mine(read.records, in: read.buffer))
  }

  @Test func variablesAreMaskedAndMessagesGrouped() throws {
    let (_, result) = try mine([
      "Connection from 10.0.0.1:5432 closed after 35 ms",
      "Connection from 10.0.0.2:5432 closed after 120 ms",
      "User alice logged in",
      "User bob logged in",
      "Deleted block blk_-1608999687919862906 size 67108864",
      "VM Started",
      "VM Paused",
    ])
    #expect(
      result.templates.map(\.text) == [
        "Connection from <*> closed after <*> ms",
        "User <*> logged in",
        "Deleted block <*> size <*>",
        "VM Started",
        "VM Paused",
      ])
    #expect(result.assignments == [0, 0, 1, 1, 2, 3, 4])
    #expect(result.templates[0].count == 2)
    #expect(result.templates[1].firstLine == 3)
  }

  @Test func idsAreStableAndContentDerived() throws {
    let (_, first) = try mine(["disk full on /dev/sda1", "disk full on /dev/sdb2"])
    let (_, second) = try mine(["something else", "disk full on /dev/sdc3"])
    #expect(first.templates[0].id == Template.id(for: "disk full on <*>"))
    #expect(second.templates[1].id == first.templates[0].id)
    #expect(first.templates[0].id.count == 9)
    #expect(first.templates[0].id.hasPrefix("T"))
  }

  @Test func parametersComeOutInOrder() throws {
    let (read, result) = try mine([
      "Received block blk_123456 of size 512 from /10.0.0.1",
      "Received block blk_654321 of size 1024 from /10.0.0.2",
      "retry (attempt=3) failed",
    ])
    let parameters = TemplateMiner.parameters(
      of: read.records[1], template: result.assignments[1], in: result, buffer: read.buffer)
    #expect(parameters == ["blk_654321", "1024", "/10.0.0.2"])
    let keyed = TemplateMiner.parameters(
      of: read.records[2], template: result.assignments[2], in: result, buffer: read.buffer)
    #expect(result.templates[result.assignments[2]].text == "retry (attempt=<*>) failed")
    #expect(keyed == ["3"])
  }

  @Test(arguments: [
    ("12345", true), ("0x1f3a", true), ("10.0.0.1", true), ("10.0.0.1:8080", true),
    ("fe80::1", true), ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", true), ("00:1B:44:11:3A:B7", true),
    ("250ms", true), ("-42", true), ("/var/log/syslog", true), ("http://x.org/a", true),
    ("user_78646", true), ("VM", false), ("Started", false), ("HTTP/1.1", false), ("u0", false),
    ("deadbeef", false), ("-", false),
  ])
  func maskerClassifiesTokens(token: String, variable: Bool) {
    let bytes = Array(token.utf8)
    #expect(
      bytes.withUnsafeBufferPointer { TokenMasker.isVariable($0, ByteSpan(0, bytes.count)) }
        == variable)
  }
}
