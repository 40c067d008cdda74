import Foundation

/// The third workflow step: what the model answered, read strictly
/// (`CLASSIFICATION: normal|anomaly`, `REASON: …`, `TAGS: a, b`) or, failing that, by a
/// tolerant fallback that reads a JSON object or the first telling word.
public struct ReviewVerdict: Sendable, Codable, Equatable {
  /// Whether the model judged the event anomalous.
  public var anomalous: Bool
  /// The model's one-sentence reason (cut to 300 characters).
  public var reason: String
  /// Its tags (five at most, lower-case letters, digits, `-` and `_`).
  public var tags: [String]
  /// Whether the strict format was followed.
  public var strict: Bool

  /// Creates a verdict.
  public init(anomalous: Bool, reason: String, tags: [String], strict: Bool) {
    self.anomalous = anomalous
    self.reason = reason
    self.tags = tags
    self.strict = strict
  }

  /// Reads an answer; `nil` when no classification can be found in it.
  public static func parse(_ answer: String) -> ReviewVerdict? {
    var classification: String?
    var reason = ""
    var tags: [String] = []
    for rawLine in answer.split(whereSeparator: \.isNewline) {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
        .trimmingCharacters(in: CharacterSet(charactersIn: "*#>-` "))
      guard let colon = line.firstIndex(of: ":") else { continue }
      let key = line[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "*` "))
        .uppercased()
      let value = line[line.index(after: colon)...].trimmingCharacters(
        in: CharacterSet(charactersIn: "*` \t"))
      switch key {
      case "CLASSIFICATION" where classification == nil: classification = value.lowercased()
      case "REASON" where reason.isEmpty: reason = value
      case "TAGS" where tags.isEmpty: tags = cleanTags(value)
      default: break
      }
    }
    if let classification, let anomalous = word(classification) {
      return ReviewVerdict(
        anomalous: anomalous, reason: cut(reason), tags: tags, strict: !reason.isEmpty)
    }
    return fallback(answer)
  }

  /// `true` when an anomaly word comes first, `false` when a normal word (or a negated
  /// anomaly, "not an anomaly") does, `nil` when neither occurs.
  static func word(_ text: String) -> Bool? {
    let lower = text.lowercased()
    let normalWords = ["not an anomal", "not anomal", "no anomal", "normal", "benign", "routine"]
    let anomalyWords = ["anomal", "abnormal", "suspicious", "malicious", "attack"]
    func earliest(_ words: [String]) -> Int? {
      words.compactMap { word -> Int? in
        var search = lower.startIndex..<lower.endIndex
        while let range = lower.range(of: word, range: search) {
          // "normal" inside "abnormal" is not a normal word.
          if word == "normal", lower[..<range.lowerBound].hasSuffix("ab") {
            search = range.upperBound..<lower.endIndex
            continue
          }
          return lower.distance(from: lower.startIndex, to: range.lowerBound)
        }
        return nil
      }.min()
    }
    switch (earliest(anomalyWords), earliest(normalWords)) {
    case (nil, nil): return nil
    case (.some, nil): return true
    case (nil, .some): return false
    case (.some(let anomaly), .some(let normal)): return anomaly < normal
    }
  }

  private static func fallback(_ answer: String) -> ReviewVerdict? {
    if let start = answer.firstIndex(of: "{"), let end = answer.lastIndex(of: "}"), start < end,
      let object = try? JSONSerialization.jsonObject(with: Data(answer[start...end].utf8))
        as? [String: Any]
    {
      let lowered = Dictionary(uniqueKeysWithValues: object.map { ($0.key.lowercased(), $0.value) })
      if let label = (lowered["classification"] ?? lowered["label"]) as? String,
        let anomalous = word(label)
      {
        let tagList =
          (lowered["tags"] as? [String])?.joined(separator: ",") ?? (lowered["tags"] as? String)
          ?? ""
        return ReviewVerdict(
          anomalous: anomalous, reason: cut(lowered["reason"] as? String ?? ""),
          tags: cleanTags(tagList), strict: false)
      }
    }
    guard let anomalous = word(answer) else { return nil }
    let sentence = answer.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    return ReviewVerdict(anomalous: anomalous, reason: cut(sentence), tags: [], strict: false)
  }

  private static func cut(_ text: String) -> String {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.count > 300 ? String(trimmed.prefix(300)) + "…" : trimmed
  }

  static func cleanTags(_ text: String) -> [String] {
    var tags: [String] = []
    for part in text.split(whereSeparator: { $0 == "," || $0 == ";" }) {
      let tag = String(
        part.lowercased().trimmingCharacters(in: .whitespaces)
          .replacingOccurrences(of: " ", with: "-")
          .unicodeScalars.filter {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
          }
          .prefix(24))
      if !tag.isEmpty, !tags.contains(tag) { tags.append(tag) }
      if tags.count == 5 { break }
    }
    return tags
  }
}
