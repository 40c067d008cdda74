import Foundation
import Testing

@testable import LoupeCore

@Suite struct SecretTests {
  func kinds(_ text: String) -> [String] {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { SecretScanner.scan($0).map(\.kind) }
  }

  @Test(arguments: [
    ("key AKIAIOSFODNN7EXAMPLE used", ["aws_access_key"]),
    (
      "auth eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok",
      ["jwt"]
    ),
    ("Authorization: Bearer abcdefghijklmnop1234567890", ["bearer_token"]),
    (#"{"authorization":"Basic YWxhZGRpbjpvcGVuc2VzYW1l"}"#, ["basic_auth"]),
    ("connecting to postgres://app:s3cretPass@db.internal:5432/main", ["url_password"]),
    ("login user=bob password=hunter2x done", ["password"]),
    ("password=p@ss.word@ab12", ["password"]),
    ("client_secret: 9f8e7d6c5b4a", ["password"]),
    // JSON's quoted keys.
    (#"{"user":"bob","password":"hunter2hunter2"}"#, ["password"]),
    (#"{"db_password": "s3cr3t!x", "Api_Key":'abcd1234'}"#, ["password", "password"]),
    (
      #"{"token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"}"#,
      ["jwt"]
    ),
    ("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 pushed", ["api_key"]),
    ("mail sent to jane.doe@example.com", ["email"]),
    ("paid with 4111 1111 1111 1111 today", ["card_number"]),
    ("amex 378282246310005 charged", ["card_number"]),
    (#"{"card":"2223003122003222"}"#, ["card_number"]),
    ("card=5555555555554444", ["card_number"]),
    (
      "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
      ["private_key"]
    ),
  ])
  func findsEachKind(text: String, expected: [String]) {
    #expect(kinds(text) == expected)
  }

  @Test(arguments: [
    "request 1234567890123 served",  // not Luhn-valid
    "password=****", "password=null", "user=bob", "visit http://example.com/path", "at 10:20:30",
    "size 4111111111111112 bytes", "AKIA is a prefix", "Bearer short",
    "Basic authentication enabled", "basic setup done",
    "Basic SGVsbG8gV29ybGQ=",  // base64 of text without a colon
    "deploy : TTY=pts/3 ; PWD=/home/deploy ; USER=root",
    #"{"tokenizer":"bert-base","password":"****","passwords_policy":"strict"}"#,
    "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11",
    // Objects as programs print them.
    "Skipping AppWindowToken{df0798e token=Token{78af589 ActivityRecord{3b04890 u0}}}",
    "Bad activity token: android.os.BinderProxy@2bd79ce",
    "Priority: 20, Token: Token { kind: ContainerToken, service: 172.22.149.145:28345 }",
    // A list of numbers, however Luhn-valid its tail.
    "Fan speeds ( 3552 3534 3375 4530 3515 3479 )",
    // Luhn-valid, but of no card network's prefix and length (Suricata's flow ids).
    "flow 266730904643476 closed", "flow 409475996776655 closed", "flow 632177706264753 closed",
    // An id, whatever its digits.
    #"{"flow_id": 4111111111111111, "event_type": "flow"}"#, "requestId=5555555555554444",
    // PAM's service and module type.
    "pam_unix(passwd:chauthtok): password changed for root",
    "pam_unix(passwd:password): authentication failure",
  ])
  func ignoresLookAlikes(text: String) {
    #expect(kinds(text).isEmpty)
  }

  @Test func everyCredentialKeyNameIsRecognised() {
    for name in SecretScanner.keyNames {
      #expect(name.withUnsafeBufferPointer { SecretScanner.isKeyName($0) })
      #expect(SecretScanner.isCredentialName("DB_" + String(decoding: name, as: UTF8.self)))
    }
  }

  @Test func fieldsNamedForCredentialsAreRedactedWhole() {
    #expect(
      SecretScanner.redact(value: "hunter2hunter2", named: "password") == "[REDACTED:password]")
    #expect(
      SecretScanner.redact(value: "abc123def456", named: "X-Auth-Token") == "[REDACTED:password]")
    #expect(SecretScanner.redact(value: "****", named: "password") == "****")
    #expect(SecretScanner.redact(value: "bert-base", named: "tokenizer") == "bert-base")
    #expect(
      SecretScanner.redact(value: "mail jane.doe@example.com", named: "note")
        == "mail [REDACTED:email]")
  }

  @Test func aJSONPasswordFieldIsFoundAndNeverShown() throws {
    let lines =
      (0..<200).map {
        #"{"time":"2024-01-15T08:00:\#(String(format: "%02d", $0 % 60))Z","level":"info","msg":"request served","user":"u\#($0 % 9)"}"#
      }
      + [
        #"{"time":"2024-01-15T08:01:00Z","level":"info","msg":"login","user":"bob","password":"hunter2hunter2"}"#
      ]
    let result = try analyzeAndWrite(lines, name: "secret.log", hiding: "hunter2hunter2")
    let finding = try #require(result.findings.first { $0.record == 200 })
    #expect(finding.detectors.contains("secrets"))
  }

  /// Analyses `lines`, writes every output file, and expects none of them to hold `secret`.
  func analyzeAndWrite(_ lines: [String], name: String, hiding secret: String) throws
    -> AnalysisResult
  {
    var options = AnalysisOptions()
    options.read.defaultYear = 2024
    let result = try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n", name: name))
    let directory = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try ReportWriter(directory: directory).write(
      result, summary: AnalysisSummary(result, options: options), stem: "out")
    for file in try FileManager.default.contentsOfDirectory(atPath: directory) {
      let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
      #expect(!text.contains(secret), "\(file)")
    }
    return result
  }

  @Test func aCSVPasswordColumnIsNeverShown() throws {
    let rows =
      ["time,user,password,action,duration_ms"]
      + (0..<1_200).map {
        "2024-01-15T08:\(String(format: "%02d:%02d", $0 / 60 % 60, $0 % 60))Z,u\($0 % 7),pw\($0 % 7)secretvalue,\($0 == 600 ? "drop_database" : "login"),\(20 + $0 % 9)"
      }
      + ["2024-01-15T09:00:00Z,u1,pwRAREsecretvalue,login,21"]
    let result = try analyzeAndWrite(rows, name: "audit.csv", hiding: "secretvalue")
    #expect(result.read.formatName == "csv")
    #expect(!result.findings.isEmpty)
    let shown = result.findings.map {
      FieldMessage.shownText(result.read.records[$0.record], result.read.buffer)
    }
    #expect(shown.contains { $0.contains(",[REDACTED:password],") })
    #expect(!result.findings.map(\.reason).joined().contains("secretvalue"))
  }

  @Test func redactionHidesValuesInEveryOutput() throws {
    let lines =
      (0..<200).map {
        "2024-01-15 08:00:\(String(format: "%02d", $0 % 60)) INFO [Api] request \($0) ok"
      }
      + [
        "2024-01-15 08:01:00 ERROR [Api] login failed password=hunter2x for jane.doe@example.com key AKIAIOSFODNN7EXAMPLE"
      ]
    var options = AnalysisOptions()
    options.read.defaultYear = 2024
    let result = try Analyzer(options: options).analyze(
      Fixtures.buffer(lines.joined(separator: "\n") + "\n", name: "api.log"))
    let finding = try #require(result.findings.first { result.read.records[$0.record].line == 201 })
    #expect(finding.severity == .critical)
    #expect(finding.tags.contains("secret"))
    #expect(finding.reason.contains("contains a credential (password, aws_access_key)"))
    #expect(finding.reason.contains("contains personal data (email)"))
    let summary = AnalysisSummary(result, options: options)
    #expect(summary.secrets.kinds == ["password": 1, "email": 1, "aws_access_key": 1])
    let directory = try Fixtures.temporaryDirectory()
    try ReportWriter(directory: directory).write(result, summary: summary, stem: "api")
    for file in [
      "api_anomalies.csv", "api_anomalies.jsonl", "api_templates.csv", "api_summary.json",
    ] {
      let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
      #expect(!text.contains("hunter2x"), "\(file)")
      #expect(!text.contains("AKIAIOSFODNN7EXAMPLE"), "\(file)")
      #expect(!text.contains("jane.doe@example.com"), "\(file)")
    }
    let anomalies = try String(contentsOfFile: directory + "/api_anomalies.csv", encoding: .utf8)
    #expect(anomalies.contains("password=[REDACTED:password]"))
    #expect(anomalies.contains("[REDACTED:aws_access_key]"))
  }
}
