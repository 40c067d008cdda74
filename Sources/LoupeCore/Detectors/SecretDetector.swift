/// Flags records that hold secrets or personal data (``SecretScanner``): credentials score
/// 0.95 (critical), card numbers 0.85 (high). E-mail addresses are counted for the summary and
/// redacted everywhere, but do not make findings on their own (many logs name a recipient on
/// every mail line). The reason names the kinds, never the values; every output redacts the
/// values themselves.
public struct SecretDetector: Detector {
  /// `secrets`.
  public let name = "secrets"

  /// Creates the detector.
  public init() {}

  /// Scans every record's bytes.
  public func detect(_ input: DetectionInput) -> DetectorReport {
    var hits: [DetectorHit] = []
    var kinds: [String: Int] = [:]
    input.buffer.bytes.withUnsafeBufferPointer { bytes in
      for (index, record) in input.records.enumerated() {
        let span = record.span
        let matches = SecretScanner.scan(
          UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]))
        guard !matches.isEmpty else { continue }
        var found: [String] = []
        for match in matches where !found.contains(match.kind) { found.append(match.kind) }
        for kind in found { kinds[kind, default: 0] += 1 }
        guard found.contains(where: { $0 != "email" }) else { continue }
        let score =
          found.contains { !SecretScanner.isPersonalData($0) }
          ? 0.95 : found.contains("card_number") ? 0.85 : 0.5
        let credential = found.filter { !SecretScanner.isPersonalData($0) }
        let personal = found.filter(SecretScanner.isPersonalData)
        var parts: [String] = []
        if !credential.isEmpty {
          parts.append("contains a credential (\(credential.joined(separator: ", ")))")
        }
        if !personal.isEmpty {
          parts.append("contains personal data (\(personal.joined(separator: ", ")))")
        }
        hits.append(
          DetectorHit(
            record: index, score: score, reason: parts.joined(separator: "; "),
            tags: credential.isEmpty ? ["personal_data"] : ["secret"]))
      }
    }
    var parameters = [
      "kinds":
        "private_key,aws_access_key,jwt,bearer_token,url_password,password,api_key,email,card_number"
    ]
    for (kind, count) in kinds { parameters["found." + kind] = String(count) }
    return DetectorReport(name: name, parameters: parameters, hits: hits, scores: nil)
  }
}
