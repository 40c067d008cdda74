import Foundation

/// Flags records by level and by the built-in rule pack (``RuleCatalog``).
///
/// - Level: error 0.65, critical/fatal 0.85, alert/emergency 0.95.
/// - Phrases in the record's template (checked once per template): the most severe match's
///   score (critical 0.92, high 0.78, medium 0.62); more matches add 0.02 each.
/// - Access logs: a 5xx status 0.7; an attack marker in the URI 0.88; a scanner user agent 0.8.
/// - A command run through sudo with a marker of an intrusion (``PrivilegedCommands``: a
///   setuid chmod, a reverse shell, the sudoers file…) 0.85, judged per record.
/// - Windows events that matter by id (``WindowsSecurityEvents``) and intrusion detection
///   alerts (``IntrusionAlerts``): by their meaning or priority.
/// - Values over a limit (``ThresholdRules``, ``RuleLimits``): resource use at or above 90%
///   0.8 (0.9 from 98%); a query taking 1 s or more 0.72 (0.85 from ten times the limit).
///   Halved for a template that crosses its limit routinely (``routineCrossings(_:_:records:)``).
/// - The user's rules (``CustomRule``): by their severity.
///
/// How a template is worded (``MessageShape``) adjusts the level and phrase scores: a line of a
/// register or value dump is detail of the failure it follows (×0.5, no finding of its own); a
/// trouble word reported with its resolution below error level ("error corrected") ×0.6; a
/// caller's error ("…: No such file or directory") keeps only its specific trouble words, and
/// its level scores 0.45 (no finding, like a 4xx status). Trouble words in a message logged at
/// notice level or below are weighed down (``RoutineWeight``), and make no finding where they
/// name a setting with its value (``SettingWording``: "negotiated timeout 10000").
///
/// A record's score is the highest of its rules; the reason lists them all. Level, phrase and
/// status scores are lowered for recurring messages: a template seen more than `max(5, 0.1% of
/// records)` times and spread evenly (not bursty, see ``burstyTemplates(_:records:)``) is
/// multiplied by `max(0.3, 1 − 0.35·log₁₀(count / that))`, so a chronic
/// error repeated a thousand times ranks below a rare one (and below 0.5 drops out of the
/// findings), while the summary still counts it.
public struct RuleDetector: Detector {
  /// `rules`.
  public let name = "rules"

  /// Creates the detector.
  public init() {}

  /// The score of a fatal or error level on a caller's error (``MessageShape``): below the
  /// findings, as a 4xx status is.
  static let callerErrorScore = 0.45
  /// The factor on trouble words reported with their resolution, below error level.
  static let resolvedFactor = 0.6
  /// The factor on the level and trouble words of a value dump line.
  static let valueDumpFactor = 0.5

  private struct Match {
    var score: Double
    var reason: String
    var tags: [String]
  }

  /// Applies the rules to every record.
  public func detect(_ input: DetectionInput) -> DetectorReport {
    let shapes = MessageShape.kinds(input)
    let templateRules: [[RuleCatalog.PhraseRule]] = zip(input.templates.templates, shapes).map {
      template, shape in
      var rules = RuleCatalog.matchingPhrases(template.text)
      if case .callerError(let errorText) = shape {
        // The generic trouble words and the error text itself say no more than "the request
        // failed"; specific ones (an authentication failure, a timeout) still count.
        rules.removeAll { $0.tag == "error" || errorText.contains($0.phrase) }
      }
      return rules
    }
    let templateMatches = templateRules.map(Self.phraseMatch)
    // In a routine record, a trouble word that names a setting with its value states
    // configuration ("negotiated timeout 10000"), not trouble.
    let routineMatches: [Match?] = zip(templateRules, input.templates.templates).map {
      rules, template in
      Self.phraseMatch(
        rules.filter { !SettingWording.namesSetting(template.text, phrase: $0.phrase) })
    }
    let usual = max(5.0, 0.001 * Double(input.records.count))
    let bursty = Self.burstyTemplates(input.templates, records: input.records.count)
    let recurrence: [Double] = input.templates.templates.enumerated().map { index, template in
      let ratio = Double(template.count) / usual
      return ratio <= 1 || bursty[index] ? 1 : max(0.3, 1 - 0.35 * log10(ratio))
    }
    let texts = input.templates.templates.map(\.text)
    let commandTemplates = texts.map(PrivilegedCommands.runsCommands)
    let resourceTemplates = texts.map(ThresholdRules.namesResource)
    let queryTemplates = texts.map(ThresholdRules.isAboutQueries)
    let limits = input.ruleLimits
    var custom = CustomRuleMatcher(input.customRules, templates: input.templates)
    // Each field name is classified once: a resource percentage, a duration, or neither.
    var fieldKinds: [String: (resource: String?, durationFactor: Double?)] = [:]
    var hits: [DetectorHit] = []
    var statusField = RequestField.status.lookup(in: input.records)
    var uriField = RequestField.uri.lookup(in: input.records)
    var agentField = RequestField.userAgent.lookup(in: input.records)
    var windowsEventField = WindowsSecurityEvents.idField(in: input.records).map(FieldLookup.init)
    let intrusionAlerts = IntrusionAlerts(input)
    // User agents repeat: each distinct one is checked once.
    var agentVerdicts: [UInt64: String?] = [:]
    // Values over a limit, first for all records, to see which templates cross it routinely.
    var valueHits: [Int: [Match]] = [:]
    var crossings = [[Int]](repeating: [], count: input.templates.templates.count)
    input.buffer.bytes.withUnsafeBufferPointer { bytes in
      for (index, record) in input.records.enumerated() {
        let template = input.templates.assignments[index]
        let found = valueMatches(
          record, bytes: bytes, buffer: input.buffer, resource: resourceTemplates[template],
          query: queryTemplates[template], limits: limits, fieldKinds: &fieldKinds)
        if !found.isEmpty {
          valueHits[index] = found
          crossings[template].append(index)
        }
      }
    }
    let routine = Self.routineCrossings(crossings, input.templates, records: input.records.count)
    input.buffer.bytes.withUnsafeBufferPointer { bytes in
      for (index, record) in input.records.enumerated() {
        var matches: [Match] = []
        let template = input.templates.assignments[index]
        let factor = recurrence[template]
        if let level = record.level, level >= .error {
          let score = level >= .alert ? 0.95 : level >= .critical ? 0.85 : 0.65
          var match = Match(score: score * factor, reason: "\(level.name) level", tags: ["error"])
          if case .callerError(let errorText) = shapes[template] {
            match.score = Self.callerErrorScore
            match.reason += " but a caller's error (\"\(errorText)\")"
          }
          matches.append(match)
        }
        let routineLevel = RoutineWeight.isRoutine(record.level)
        if var match = routineLevel ? routineMatches[template] : templateMatches[template] {
          match.score *= factor * RoutineWeight.words(record.level)
          if case .resolved(let marker) = shapes[template], (record.level ?? .info) < .error {
            match.score *= Self.resolvedFactor
            match.reason += " (\"\(marker)\": dealt with)"
          }
          matches.append(match)
        }
        if shapes[template] == .valueDump {
          // A dump line's level and words are its failure's: the failure is the finding.
          for index in matches.indices { matches[index].score *= Self.valueDumpFactor }
        }
        let status = statusField.value(in: record).flatMap { ByteClass.integer(bytes, $0.span) }
        if let status, status >= 500 {
          matches.append(
            Match(score: 0.7 * factor, reason: "server error \(status)", tags: ["http"]))
        }
        if var lookup = windowsEventField {
          if let event = WindowsSecurityEvents.meaning(of: record, id: &lookup, bytes) {
            matches.append(
              Match(
                score: event.meaning.score * factor,
                reason: "Windows event \(event.id): \(event.meaning.description)",
                tags: ["security"]))
          }
          windowsEventField = lookup
        }
        if factor < 1, !matches.isEmpty {
          let count = input.templates.templates[template].count
          matches[matches.count - 1].reason +=
            " (a steady recurring message, \(count) times, so rated lower)"
        }
        // An alert is judged by how often its signature fires, not its template.
        if let alert = intrusionAlerts.alerts[index] {
          var reason = "IDS alert \"\(alert.signature)\""
          if let priority = alert.priority { reason += " (priority \(priority))" }
          let alertFactor = intrusionAlerts.recurrenceFactor(alert, usual: usual)
          if alertFactor < 1 {
            reason +=
              " (this signature fired \(intrusionAlerts.counts[alert.signature] ?? 0) times, so rated lower)"
          }
          matches.append(
            Match(score: alert.score * alertFactor, reason: reason, tags: ["security"]))
        }
        // Values over a limit are judged per record, lowered where the template crosses the
        // limit routinely; the user's rules are judged per record, however common the template.
        for var match in valueHits[index] ?? [] {
          if routine[template] {
            match.score *= 0.5
            match.reason +=
              " (this message crosses the limit routinely, \(crossings[template].count) of \(input.templates.templates[template].count) times, so rated lower)"
          }
          matches.append(match)
        }
        for rule in custom.matches(
          record, template: template, buffer: input.buffer, bytes: bytes)
        {
          let detail = rule.description.map { ": \($0)" } ?? ""
          matches.append(
            Match(
              score: rule.score, reason: "rule '\(rule.name)'\(detail)",
              tags: rule.tags ?? ["custom"]))
        }
        // A privileged command is judged per record: sudo's template holds `COMMAND=<*>`.
        if commandTemplates[template],
          let marker = PrivilegedCommands.marker(bytes, record.message.span)
        {
          matches.append(
            Match(
              score: 0.85, reason: "privileged command with \"\(marker)\"", tags: ["security"]))
        }
        // Attacks are judged per request, however common the request's template.
        if status != nil {
          if let uri = uriField.value(in: record),
            let marker = RuleCatalog.suspiciousURIMarker(bytes, uri.span)
          {
            matches.append(
              Match(
                score: 0.88, reason: "attack marker \"\(marker)\" in the URI", tags: ["security"]))
          }
          if let agent = agentField.value(in: record) {
            let key = Hashing.fnv1a(bytes, agent.span)
            let scanner: String?
            if let known = agentVerdicts[key] {
              scanner = known
            } else {
              scanner = RuleCatalog.scannerAgent(bytes, agent.span)
              agentVerdicts[key] = scanner
            }
            if let scanner {
              matches.append(
                Match(score: 0.8, reason: "scanner user agent (\(scanner))", tags: ["security"]))
            }
          }
        }
        guard let top = matches.max(by: { $0.score < $1.score }),
          top.score >= Scorer.findingThreshold
        else { continue }
        var tags: [String] = []
        for match in matches {
          for tag in match.tags where !tags.contains(tag) { tags.append(tag) }
        }
        hits.append(
          DetectorHit(
            record: index, score: top.score,
            reason: matches.map(\.reason).joined(separator: "; "), tags: tags))
      }
    }
    return DetectorReport(
      name: name,
      parameters: [
        "phrases": String(RuleCatalog.phrases.count), "custom_rules": String(custom.compiled.count),
        "resource_percent": String(limits.resourcePercent),
        "slow_query_ms": String(limits.slowQueryMilliseconds),
      ], hits: hits, scores: nil)
  }

  /// The match of a template's trouble words: the most severe one's score, plus 0.02 for each
  /// other.
  private static func phraseMatch(_ rules: [RuleCatalog.PhraseRule]) -> Match? {
    guard let top = rules.max(by: { $0.score < $1.score }) else { return nil }
    let phrases = rules.prefix(3).map { "\"\($0.phrase)\"" }.joined(separator: ", ")
    var tags: [String] = []
    for rule in rules where !tags.contains(rule.tag) { tags.append(rule.tag) }
    return Match(
      score: min(0.99, top.score + 0.02 * Double(rules.count - 1)),
      reason: "mentions \(phrases)", tags: tags)
  }

  /// Resource use at or over the limit, and slow queries, from the message and the fields.
  private func valueMatches(
    _ record: LogRecord, bytes: UnsafeBufferPointer<UInt8>, buffer: SourceBuffer, resource: Bool,
    query: Bool, limits: RuleLimits,
    fieldKinds: inout [String: (resource: String?, durationFactor: Double?)]
  ) -> [Match] {
    var matches: [Match] = []
    let number = ReasonText.number
    func resourceMatch(_ name: String, _ percent: Double) {
      guard percent >= limits.resourcePercent, percent <= 100 else { return }
      matches.append(
        Match(
          score: percent >= 98 ? 0.9 : 0.8,
          reason: "\(name) \(number(percent))% ≥ \(number(limits.resourcePercent))%",
          tags: ["resource"]))
    }
    func durationMatch(_ milliseconds: Double) {
      guard milliseconds >= limits.slowQueryMilliseconds else { return }
      matches.append(
        Match(
          score: milliseconds >= 10 * limits.slowQueryMilliseconds ? 0.85 : 0.72,
          reason:
            "slow query: \(number(milliseconds)) ms ≥ \(number(limits.slowQueryMilliseconds)) ms",
          tags: ["performance"]))
    }
    if resource, let found = ThresholdRules.resourcePercentage(bytes, record.message.span) {
      resourceMatch(found.resource, found.percent)
    }
    if query, let milliseconds = ThresholdRules.duration(bytes, record.message.span) {
      durationMatch(milliseconds)
    }
    for field in record.fields where field.value.encoding == .raw {
      let kind: (resource: String?, durationFactor: Double?)
      if let known = fieldKinds[field.name] {
        kind = known
      } else {
        kind = (
          ThresholdRules.resourceField(field.name), ThresholdRules.durationFieldFactor(field.name)
        )
        fieldKinds[field.name] = kind
      }
      guard kind.resource != nil || kind.durationFactor != nil,
        let value = ByteClass.number(bytes, field.value.span)
      else { continue }
      if kind.resource != nil { resourceMatch(field.name, value) }
      if let factor = kind.durationFactor, query || field.name.lowercased().contains("query") {
        durationMatch(value * factor)
      }
    }
    return matches
  }

  /// Whether each template crosses a value limit routinely: in more than 5% of its records
  /// (at least 10), spread over the input rather than in a burst. Such a limit is the source's
  /// normal operating range (a job that always logs "slow query" at 1–5 s), not an incident.
  static func routineCrossings(
    _ crossings: [[Int]], _ templates: TemplateMiner.Result, records: Int
  ) -> [Bool] {
    crossings.enumerated().map { template, places in
      guard places.count >= 10,
        Double(places.count) > 0.05 * Double(templates.templates[template].count)
      else { return false }
      let window = 100
      let ends = BurstStatistics.windowEnds(places, window: window)
      let best = ends.enumerated().map { $1 - $0 + 1 }.max() ?? 0
      return !BurstStatistics.isBurst(
        count: best, occurrences: places.count, total: records, window: window)
    }
  }

  /// Whether each template comes in bursts: it is at most 5% of the records, and some window of
  /// 100 consecutive records holds so many of its records (at least 5) that an even, random
  /// spread (Poisson with the template's mean per window) would give that many with
  /// probability below one in a million.
  static func burstyTemplates(_ templates: TemplateMiner.Result, records: Int) -> [Bool] {
    let window = 100
    var positions = [[Int]](repeating: [], count: templates.templates.count)
    for (index, template) in templates.assignments.enumerated()
    where templates.templates[template].count >= 10 {
      positions[template].append(index)
    }
    return positions.map { places in
      guard places.count >= 10 else { return false }
      let ends = BurstStatistics.windowEnds(places, window: window)
      let best = ends.enumerated().map { $1 - $0 + 1 }.max() ?? 0
      return BurstStatistics.isBurst(
        count: best, occurrences: places.count, total: records, window: window)
    }
  }
}
