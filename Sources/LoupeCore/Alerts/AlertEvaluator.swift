import Foundation

/// Decides which alert rules fire on an analysis and builds their alerts.
public enum AlertEvaluator {
  /// The alerts that `rules` raise on `result`.
  /// - Parameters:
  ///   - rules: the alert rules.
  ///   - result: the analysis (findings already final).
  ///   - input: the input's display name.
  ///   - now: the time the alerts carry.
  /// - Returns: one alert per firing rule, or per group of a grouping rule.
  public static func alerts(
    for rules: [AlertRule], result: AnalysisResult, input: String, now: Date = Date()
  ) -> [Alert] {
    let records = result.read.records.count
    let rate = Double(result.findings.count) / Double(max(records, 1))
    var alerts: [Alert] = []
    for rule in rules {
      if let minimum = rule.anomalyRate, rate < minimum { continue }
      let selected = result.findings.filter { selects(rule, $0, result) }
      let sessions = (result.sessions?.results ?? []).filter {
        ($0.severity.map { $0 >= rule.minSeverity }) ?? false
      }
      if let minimum = rule.sessions, sessions.count < minimum { continue }
      let groups: [(String?, [Finding])]
      switch rule.groupBy {
      case .none: groups = [(nil, selected)]
      case .template:
        groups = grouped(selected) { templateId(of: $0, in: result) }
      case .detector:
        groups = grouped(selected) { $0.detectors.first ?? "" }
      }
      for (group, findings) in groups {
        // A rule that only asks for sessions may fire without record findings.
        let needsFindings = rule.sessions == nil || !findings.isEmpty || rule.minFindings > 1
        if needsFindings, findings.count < rule.minFindings { continue }
        let counts = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
        guard rule.severityCounts.allSatisfy({ counts[$0.key, default: 0] >= $0.value }) else {
          continue
        }
        alerts.append(
          alert(
            rule, group: group, findings: findings, sessions: rule.sessions == nil ? [] : sessions,
            result: result, input: input, rate: rate, now: now))
      }
    }
    return alerts
  }

  static func selects(_ rule: AlertRule, _ finding: Finding, _ result: AnalysisResult) -> Bool {
    guard finding.severity >= rule.minSeverity else { return false }
    if let detectors = rule.detectors {
      let wanted = Set(detectors.map { $0.lowercased() })
      guard finding.detectors.contains(where: { wanted.contains($0.lowercased()) }) else {
        return false
      }
    }
    if let names = rule.rules {
      guard
        names.contains(where: { name in
          finding.tags.contains(name) || finding.reason.contains("rule '\(name)'")
        })
      else { return false }
    }
    if let templates = rule.templates {
      let template = result.templates.templates[result.templates.assignments[finding.record]]
      let text = template.text.lowercased()
      guard
        templates.contains(where: { $0 == template.id || text.contains($0.lowercased()) })
      else { return false }
    }
    return true
  }

  private static func templateId(of finding: Finding, in result: AnalysisResult) -> String {
    result.templates.templates[result.templates.assignments[finding.record]].id
  }

  private static func grouped(_ findings: [Finding], by key: (Finding) -> String) -> [(
    String?, [Finding]
  )] {
    var order: [String] = []
    var groups: [String: [Finding]] = [:]
    for finding in findings {
      let name = key(finding)
      if groups[name] == nil { order.append(name) }
      groups[name, default: []].append(finding)
    }
    return order.map { ($0, groups[$0] ?? []) }
  }

  private static func alert(
    _ rule: AlertRule, group: String?, findings: [Finding], sessions: [SessionResult],
    result: AnalysisResult, input: String, rate: Double, now: Date
  ) -> Alert {
    let severity =
      (findings.map(\.severity) + sessions.compactMap(\.severity)).max() ?? rule.minSeverity
    let top = findings.sorted { ($0.score, -$0.record) > ($1.score, -$1.record) }.prefix(10)
    let evidence = top.map { finding in
      let record = result.read.records[finding.record]
      let buffer = result.read.buffer
      let message = FieldMessage.shownText(record, buffer)
      return Alert.Evidence(
        line: record.line, severity: finding.severity, score: AnalysisSummary.round(finding.score),
        detectors: finding.detectors, reason: finding.reason,
        message: message.count > 500 ? String(message.prefix(500)) + "…" : message,
        templateId: templateId(of: finding, in: result))
    }
    let sessionEvidence = sessions.sorted { $0.score > $1.score }.prefix(5).map {
      Alert.SessionEvidence(
        session: SecretScanner.redact($0.session.key), severity: $0.severity ?? .low,
        score: AnalysisSummary.round($0.score), reason: $0.reason)
    }
    var severities: [String: Int] = [:]
    for finding in findings { severities[finding.severity.rawValue, default: 0] += 1 }
    var what = findings.isEmpty ? "" : "\(findings.count) finding\(findings.count == 1 ? "" : "s")"
    if !sessions.isEmpty {
      what +=
        (what.isEmpty ? "" : " and ")
        + "\(sessions.count) anomalous session\(sessions.count == 1 ? "" : "s")"
    }
    let scope = group.map { " (\($0))" } ?? ""
    return Alert(
      rule: rule.name, key: rule.key(group: group, input: input, severity: severity),
      severity: severity, title: "[\(severity.rawValue)] \(rule.name): \(what) in \(input)\(scope)",
      input: input, raisedAt: TimestampFormatter.iso8601(now.timeIntervalSince1970), group: group,
      findings: findings.count, severities: severities, records: result.read.records.count,
      anomalyRate: AnalysisSummary.round(rate), anomalousSessions: sessions.count,
      evidence: Array(evidence), sessionEvidence: Array(sessionEvidence))
  }
}
