import Foundation

/// Alerts an intrusion detection system raised, which are findings whatever their count:
/// Suricata's EVE JSON (`"event_type":"alert"` with `alert.signature` and `alert.severity`)
/// and the fast.log lines Snort and Suricata write (`[**] [1:2010935:2] ET SCAN Suspicious
/// inbound to MSSQL port 1433 [**] [Classification: …] [Priority: 2] {TCP} …`), also as Snort
/// sends them to syslog (`snort[1234]: [1:2010935:2] ET SCAN … [Classification: …]
/// [Priority: 2]: {TCP} …`); and the alerts of Wazuh and OSSEC (`alerts.json`:
/// `rule.description` with `rule.level`, 0–15: 12 and above is priority 1, 7–11 priority 2,
/// 4–6 priority 3, and below 4 — informational — no alert).
///
/// The signature's priority gives the score: 1 → 0.9, 2 → 0.8, 3 → 0.65, lower → 0.5, lowered
/// for a signature that fires often (``recurrenceFactor(_:usual:)``).
struct IntrusionAlerts {
  /// One alert: what the signature says, and its priority (1 the most severe).
  struct Alert {
    var signature: String
    var priority: Int?

    /// The rule score of the alert.
    var score: Double {
      switch priority {
      case 1: 0.9
      case 2, nil: 0.8
      case 3: 0.65
      default: 0.5
      }
    }
  }

  /// The alerts, by record index.
  let alerts: [Int: Alert]
  /// How many times each signature fired.
  let counts: [String: Int]

  /// Finds the alerts among `input`'s records: EVE fields when its records are JSON with an
  /// `event_type`, fast.log lines in templates that hold `[**]` or `[Classification: ` and
  /// `[Priority: `.
  init(_ input: DetectionInput) {
    let isEVE = input.records.prefix(200).contains { record in
      record.fields.contains { $0.name == "event_type" }
    }
    let isWazuh = input.records.prefix(200).contains { record in
      record.fields.contains { $0.name == "rule.level" }
    }
    let fastLogTemplates = input.templates.templates.map {
      ($0.text.contains("[**]") || $0.text.contains("[Classification: "))
        && $0.text.contains("[Priority: ")
    }
    var alerts: [Int: Alert] = [:]
    var counts: [String: Int] = [:]
    var signatureField = FieldLookup("alert.signature")
    var severityField = FieldLookup("alert.severity")
    var descriptionField = FieldLookup("rule.description")
    var ruleLevelField = FieldLookup("rule.level")
    input.buffer.bytes.withUnsafeBufferPointer { bytes in
      for (index, record) in input.records.enumerated() {
        var alert: Alert?
        if isEVE, let signature = signatureField.value(in: record) {
          let priority = severityField.value(in: record).flatMap {
            ByteClass.integer(bytes, $0.span)
          }
          alert = Alert(signature: input.buffer.string(signature), priority: priority)
        } else if isWazuh, let description = descriptionField.value(in: record),
          let level = ruleLevelField.value(in: record).flatMap({ ByteClass.integer(bytes, $0.span) }
          ),
          let priority = Self.priority(ofRuleLevel: level)
        {
          alert = Alert(signature: input.buffer.string(description), priority: priority)
        } else if fastLogTemplates[input.templates.assignments[index]] {
          alert = Self.fastLogAlert(bytes, record.message.span)
        }
        if let alert {
          alerts[index] = alert
          counts[alert.signature, default: 0] += 1
        }
      }
    }
    self.alerts = alerts
    self.counts = counts
  }

  /// The priority of a Wazuh or OSSEC rule level (0–15), or `nil` below 4 (informational).
  static func priority(ofRuleLevel level: Int) -> Int? {
    switch level {
    case 12...: 1
    case 7...11: 2
    case 4...6: 3
    default: nil
    }
  }

  /// The factor on an alert whose signature fires often: as for recurring messages
  /// (``RuleDetector``), `max(0.5, 1 − 0.35·log₁₀(count / usual))` for a signature seen more
  /// than `usual` times, so a chatty signature ranks below a rare one while a priority-1 alert
  /// stays a finding.
  func recurrenceFactor(_ alert: Alert, usual: Double) -> Double {
    let ratio = Double(counts[alert.signature] ?? 1) / usual
    return ratio <= 1 ? 1 : max(0.5, 1 - 0.35 * log10(ratio))
  }

  /// The signature and priority of an alert line: the text after `[gid:sid:rev] ` up to
  /// ` [**]` or ` [Classification:`, and the number after `[Priority: `.
  static func fastLogAlert(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Alert? {
    let text = UnsafeBufferPointer(rebasing: bytes[span.start..<span.end])
    guard let rule = ruleReference(text) else { return nil }
    var start = rule
    while start < text.count, text[start] == 0x20 { start += 1 }
    let ends = [" [**]", " [Classification: "].compactMap {
      ByteClass.firstIndex(of: Array($0.utf8), in: text, ByteSpan(start, text.count))
    }
    guard let end = ends.min(), end > start else { return nil }
    let signature = String(
      decoding: UnsafeBufferPointer(rebasing: text[start..<end]), as: UTF8.self)
    var priority: Int?
    let label = Array("[Priority: ".utf8)
    if let at = ByteClass.firstIndex(of: label, in: text, ByteSpan(end, text.count)) {
      var value = 0
      var index = at + label.count
      while index < text.count, ByteClass.isDigit(text[index]) {
        value = value * 10 + Int(text[index] &- 0x30)
        index += 1
      }
      if index > at + label.count { priority = value }
    }
    return Alert(signature: signature, priority: priority)
  }

  /// The index just past the first `[gid:sid:rev]` (three numbers) in `text`.
  private static func ruleReference(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
    var index = 0
    while index < text.count {
      if text[index] == 0x5B {
        var cursor = index + 1
        var numbers = 0
        while numbers < 3 {
          let first = cursor
          while cursor < text.count, ByteClass.isDigit(text[cursor]) { cursor += 1 }
          guard cursor > first, cursor < text.count else { break }
          numbers += 1
          let expected: UInt8 = numbers == 3 ? 0x5D : 0x3A
          guard text[cursor] == expected else { break }
          cursor += 1
        }
        if numbers == 3, text[cursor - 1] == 0x5D { return cursor }
      }
      index += 1
    }
    return nil
  }
}
