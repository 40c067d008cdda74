/// The Windows events that security teams alert on whatever their count: the audit log
/// cleared, audit policy changed, accounts created, deleted, locked out or given a new
/// password, members added to security groups, services and scheduled tasks installed, failed
/// logons. Windows logs say what happened by event id, not in words, so without this table
/// such an event is only as unusual as its rarity.
///
/// An event id is read from a field Windows exports use (`Event ID` in Event Viewer's CSV,
/// `EventID`/`Id` in PowerShell's, `winlog.event_id` or `event.code` in Winlogbeat's JSON), and
/// only on records that come from Windows (their line names a `Microsoft-Windows-` provider or
/// the `Service Control Manager`), so a number in another log's
/// `event_id` is never read as one.
enum WindowsSecurityEvents {
  /// What an event id means and how much it matters (a rule score).
  struct Meaning {
    var description: String
    var score: Double
  }

  /// The events, by id.
  static let meanings: [Int: Meaning] = [
    1102: Meaning(description: "the security audit log was cleared", score: 0.92),
    104: Meaning(description: "an event log was cleared", score: 0.9),
    4719: Meaning(description: "the system audit policy was changed", score: 0.9),
    4720: Meaning(description: "a user account was created", score: 0.8),
    4726: Meaning(description: "a user account was deleted", score: 0.78),
    4724: Meaning(description: "an account's password was reset", score: 0.76),
    4728: Meaning(description: "a member was added to a security-enabled global group", score: 0.8),
    4732: Meaning(description: "a member was added to a security-enabled local group", score: 0.8),
    4756: Meaning(
      description: "a member was added to a security-enabled universal group", score: 0.8),
    4740: Meaning(description: "a user account was locked out", score: 0.76),
    4697: Meaning(description: "a service was installed", score: 0.8),
    7045: Meaning(description: "a new service was installed", score: 0.8),
    4698: Meaning(description: "a scheduled task was created", score: 0.76),
    4625: Meaning(description: "an account failed to log on", score: 0.65),
    4771: Meaning(description: "Kerberos pre-authentication failed", score: 0.65),
  ]

  /// The events that are a failed attempt to authenticate, which the brute-force detector
  /// counts by source.
  static let authenticationFailures: Set<Int> = [4625, 4771]

  /// The fields a Windows event names the address an attempt came from in (Winlogbeat's
  /// `winlog.event_data.IpAddress`, an EVTX dump's `Event.EventData.IpAddress`, a flattened
  /// export's `IpAddress`); the text of an Event Viewer export names it as `Source Network
  /// Address:`, which ``SourceAddress`` finds.
  static let sourceFieldNames = [
    "winlog.event_data.IpAddress", "Event.EventData.IpAddress", "EventData.IpAddress",
    "IpAddress",
  ]

  /// The field names an event id is read from (compared in lower case).
  static let idFieldNames: Set<String> = [
    "event id", "eventid", "event_id", "id", "winlog.event_id", "event.code", "eventcode",
  ]

  /// Words in a record's line that say it comes from Windows (lower case: any case matches).
  static let windowsMarkers: [[UInt8]] = ["microsoft-windows-", "service control manager"].map {
    Array($0.utf8)
  }

  /// The name of the input's event id field, when it has one.
  static func idField(in records: [LogRecord]) -> String? {
    for record in records.prefix(50) {
      if let field = record.fields.first(where: { idFieldNames.contains($0.name.lowercased()) }) {
        return field.name
      }
    }
    return nil
  }

  /// What the record's event means, when it is one of ``meanings`` logged by Windows.
  static func meaning(
    of record: LogRecord, id: inout FieldLookup, _ bytes: UnsafeBufferPointer<UInt8>
  ) -> (id: Int, meaning: Meaning)? {
    guard let value = id.value(in: record),
      let number = ByteClass.integer(bytes, value.span), let meaning = meanings[number]
    else { return nil }
    guard record.span.end <= bytes.count,
      windowsMarkers.contains(where: { RuleCatalog.contains(bytes, record.span, $0) })
    else { return nil }
    return (number, meaning)
  }
}
