import Testing

@testable import LoupeCore

@Suite struct TemplateMinerTests {
  func mine(_ lines: [String]) throws -> (ReadResult, TemplateMiner.Result) {
    let read = try Fixtures.read(lines.joined(separator: "\n") + "\n", format: "plain")
    return (read, TemplateMiner().mine(read.records, in: read.buffer))
  }

  func masked(_ token: String) -> String {
    let bytes = Array(token.utf8)
    var output: [UInt8] = []
    bytes.withUnsafeBufferPointer { TokenMasker.mask($0, ByteSpan(0, bytes.count), into: &output) }
    return String(decoding: output, as: UTF8.self)
  }

  @Test(arguments: [
    ("12345", "<*>"), ("-42", "<*>"), ("250ms", "<*>"), ("3.5%", "<*>"), ("08:00:00", "<*>"),
    ("0x1f3a", "<*>"), ("deadbeef42", "<*>"), ("10.0.0.1", "<*>"), ("/10.0.0.1:8080", "<*>"),
    ("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "<*>"), ("00:1B:44:11:3A:B7", "<*>"),
    ("/var/log/syslog", "<*>"), ("http://x.org/a", "<*>"), ("com.example.Foo", "<*>"),
    ("core.42", "core.<*>"), ("blk_-1608999687919862906", "<*>"), ("rdd_2_2", "<*>"),
    ("MSRA-SA-39.fareast.corp.microsoft.com", "<*>"), ("uid=0", "uid=<*>"),
    ("tty=NODEVssh", "tty=NODEVssh"),
    ("logname=", "logname="), ("tag=\"AudioMix\",", "tag=<*>\","), ("mask=ffffffff", "mask=<*>"),
    ("(uid=509)", "(uid=<*>)"), ("()", "(<*>)"), ("[HRESULT", "[HRESULT"), ("Jul", "<*>"),
    ("true", "<*>"),
    ("eth0", "eth0"), ("jk2_init()", "jk2_init()"), ("HTTP/1.1", "<*>"), ("VM", "VM"),
    ("Started", "Started"),
    ("ready=true,policy=3", "ready=<*>,policy=<*>"), ("-", "-"),
  ])
  func maskerRules(token: String, expected: String) {
    #expect(masked(token) == expected)
  }

  @Test func groupsMessagesAndNamesVariables() throws {
    let (_, result) = try mine([
      "Connection from 10.0.0.1:5432 closed after 35 ms",
      "Connection from 10.0.0.2:5432 closed after 120 ms",
      "Block broadcast_1 stored (estimated size 850.0 B, free 320.3 KB)",
      "Block broadcast_2 stored (estimated size 5.2 KB, free 318.1 MB)",
      "BLOCK* ask 10.250.18.114:50010 to delete blk_-5140072410813878235",
      "BLOCK* ask 10.250.17.177:50010 to delete blk_-8570780307 blk_-9122557 blk_3346",
      "VM Started",
      "VM Paused",
    ])
    #expect(
      result.templates.map(\.text) == [
        "Connection from <*> closed after <*> ms",
        "Block <*> stored (estimated size <*>, free <*>)",
        "BLOCK* ask <*> to delete <*>",
        "VM Started",
        "VM Paused",
      ])
    #expect(result.assignments == [0, 0, 1, 1, 2, 2, 3, 4])
  }

  @Test func wordsWithManyValuesBecomeVariablesWordsWithFewDoNot() throws {
    var lines: [String] = []
    for user in ["cyrus", "news", "test", "alice", "bob"] {
      lines.append("session opened for user \(user) by admin")
    }
    lines += [
      "Starting TrustedInstaller initialization.", "Starting TrustedInstaller finalization.",
    ]
    lines += [
      "cupsd startup succeeded", "syslogd startup succeeded", "klogd startup succeeded",
      "named startup succeeded",
    ]
    let (_, result) = try mine(lines)
    let texts = Set(result.templates.map(\.text))
    #expect(texts.contains("session opened for user <*> by admin"))
    #expect(texts.contains("Starting TrustedInstaller initialization."))
    #expect(texts.contains("Starting TrustedInstaller finalization."))
    // The first word names the event: daemons stay apart.
    #expect(texts.contains("cupsd startup succeeded"))
    #expect(result.templates.count == 1 + 2 + 4)
  }

  /// dpkg's log: every package goes through a handful of states. The package (many words, some
  /// partly masked: `perl:<*>`) is the variable, not the state (a few words).
  @Test func theWordWithMoreValuesIsTheVariable() throws {
    let packages = [
      "perl:amd64", "less:amd64", "openssl:amd64", "netbase:all", "manpages:all",
      "media-types:all", "readline-common:all", "ca-certificates:all",
    ]
    var lines: [String] = []
    for package in packages {
      for state in ["half-installed", "unpacked", "half-configured", "installed"] {
        lines.append("status \(state) \(package) 1.2-3")
      }
      // One constant word besides: eight packages make it a variable, four would not.
      lines.append("upgrade \(package) 1.2-3 1.2-4")
    }
    let (_, result) = try mine(lines)
    #expect(
      Set(result.templates.map(\.text)) == [
        "status half-installed <*> <*>", "status unpacked <*> <*>",
        "status half-configured <*> <*>", "status installed <*> <*>", "upgrade <*> <*>",
      ])
    let (_, few) = try mine(packages.prefix(4).map { "upgrade \($0) 1.2-3 1.2-4" })
    #expect(few.templates.count == 4)
  }

  @Test func aVariableSpanningSeveralWordsJoinsTheTemplate() throws {
    var lines = ["alice", "bob", "carol", "dave", "erin"].map { "Invalid user \($0) from 10.0.0.1" }
    lines.append("Invalid user john smith from 10.0.0.2")
    lines.append("Invalid user mary ann lee from 10.0.0.3")
    let (_, result) = try mine(lines)
    #expect(result.templates.map(\.text) == ["Invalid user <*> from <*>"])
    #expect(result.templates.first?.count == 7)
  }

  @Test func idsAreStableAndContentDerived() throws {
    let (_, first) = try mine(["disk full on /dev/sda1", "disk full on /dev/sdb2"])
    let (_, second) = try mine(["something else", "disk full on /dev/sdc3"])
    #expect(first.templates[0].id == Template.id(for: "disk full on <*>"))
    #expect(second.templates[1].id == first.templates[0].id)
    #expect(first.templates[0].id.count == 9)
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
    #expect(result.templates[result.assignments[2]].text == "retry (attempt=<*>) failed")
    let keyed = TemplateMiner.parameters(
      of: read.records[2], template: result.assignments[2], in: result, buffer: read.buffer)
    #expect(keyed == ["3"])
  }

  @Test func hugeAndEmptyMessagesAreHandled() throws {
    let huge = (0..<100_000).map { "w\($0 % 7)x" }.joined(separator: " ")
    let (_, result) = try mine([huge, huge, "", "x"])
    #expect(result.assignments[0] == result.assignments[1])
    #expect(result.templates.count >= 2)
  }
}
