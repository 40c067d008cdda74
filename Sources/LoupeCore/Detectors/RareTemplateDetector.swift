import Foundation

/// Flags records whose template is rare in the input. A template seen `c` times among `n`
/// records has surprise `−ln(c/n) / ln n = 1 − ln c / ln n`: 1 for a message seen once, 0.5 at
/// `c = √n`, 0 for a template on every line. A template is rare when its surprise reaches 0.5
/// (`c ≤ √n`: 141 of 20,000 records, 316 of 100,000), whatever the input's size; a surprise
/// just above 0.5 makes a low-severity finding. The score is the surprise capped at 0.85
/// (high): rarity alone does not make a critical finding. Rarity is relative: the rarest
/// templates are taken first, and only while they hold at most 10% of the records, so a log
/// made of many rare messages is not flagged wholesale. Templates are judged once each; the
/// reason gives the count. Lines of a value dump (``MessageShape``) are not judged by rarity:
/// the failure they detail is; on a routine record rarity alone makes no finding, and on a
/// warning or a message without a level at most a medium one (``RoutineWeight``). Rows of a
/// table (CSV, TSV) are left to ``FieldRarityDetector``: their templates are combinations of
/// column values, which it judges column by column. Rare messages that come one after another
/// (a boot, a crash's detail) are reported once, as one event (``RareRuns``).
public struct RareTemplateDetector: Detector {
  /// `rare`.
  public let name = "rare"

  /// The surprise that makes a template rare.
  public static let minimumSurprise = 0.5
  /// The largest share of records that rarity alone may flag.
  public static let maximumShare = 0.1

  /// Creates the detector.
  public init() {}

  /// Scores each template's rarity and flags the records of rare ones.
  public func detect(_ input: DetectionInput) -> DetectorReport {
    let total = input.records.count
    var parameters = ["records": String(total)]
    guard total >= 50 else {
      return .skipped(name, parameters, because: "fewer than 50 records")
    }
    if let model = input.model { return detectAgainst(model, input, parameters: parameters) }
    guard !input.tabular else {
      // A table row's template is a combination of its text columns' values, which the fields
      // detector judges directly (and explains by column).
      return .skipped(
        name, parameters, because: "rows of a table: the fields detector judges their values")
    }
    let logTotal = log(Double(total))
    let shapes = MessageShape.kinds(input)
    let scores: [Double] = zip(input.templates.templates, shapes).map { template, shape in
      shape == .valueDump
        ? 0 : min(0.85, max(0, 1 - log(Double(max(template.count, 1))) / logTotal))
    }
    // Rare relative to the rest: the rarest templates first, while they hold at most
    // `maximumShare` of the records (a log made of rare messages has no outliers by rarity).
    var rare = [Bool](repeating: false, count: scores.count)
    var covered = 0
    let order = scores.indices.sorted {
      (input.templates.templates[$0].count, $0) < (input.templates.templates[$1].count, $1)
    }
    for template in order where scores[template] >= Self.minimumSurprise {
      let count = input.templates.templates[template].count
      guard Double(covered + count) <= Self.maximumShare * Double(total) else { break }
      covered += count
      rare[template] = true
    }
    parameters["flagged_at_most_count"] = String(Int(pow(Double(total), 1 - Self.minimumSurprise)))
    parameters["maximum_share"] = String(Self.maximumShare)
    var hits: [DetectorHit] = []
    for (index, template) in input.templates.assignments.enumerated() {
      guard rare[template] else { continue }
      let score = RoutineWeight.rarity(
        scores[template], input.records[index].level, shapes[template])
      let count = input.templates.templates[template].count
      hits.append(
        DetectorHit(
          record: index, score: score,
          reason: count == 1
            ? "a message seen once in \(total) records"
            : "template seen \(count) times in \(total) records", tags: ["rare"]))
    }
    let runs = RareRuns.fold(hits, input)
    parameters["runs"] = String(runs.runs)
    return DetectorReport(name: name, parameters: parameters, hits: runs.hits, scores: nil)
  }

  /// With a trained model: a template never seen in training is new (0.8, every record of it);
  /// one seen `c` times among the `N` training records is rare when `1 − ln(c + 1) / ln N`
  /// reaches 0.5, scored by that surprise (at most 0.85), the rarest first while they hold at
  /// most 10% of this input's records.
  func detectAgainst(_ model: LoupeModel, _ input: DetectionInput, parameters: [String: String])
    -> DetectorReport
  {
    var parameters = parameters
    let trained = max(model.trainingRecords, 2)
    parameters["training_records"] = String(trained)
    let logTrained = log(Double(trained))
    let seen = input.templates.templates.map { model.templateCounts[$0.id] ?? 0 }
    let scores = seen.map { count in
      count == 0 ? 0.8 : min(0.85, max(0, 1 - log(Double(count + 1)) / logTrained))
    }
    var rare = [Bool](repeating: false, count: seen.count)
    var covered = 0
    for template in seen.indices.sorted(by: { (seen[$0], $0) < (seen[$1], $1) })
    where seen[template] > 0 && scores[template] >= Self.minimumSurprise {
      let count = input.templates.templates[template].count
      guard Double(covered + count) <= Self.maximumShare * Double(input.records.count) else {
        break
      }
      covered += count
      rare[template] = true
    }
    let newTemplates = seen.indices.filter { seen[$0] == 0 }
    parameters["new_templates"] = String(newTemplates.count)
    var hits: [DetectorHit] = []
    for (index, template) in input.templates.assignments.enumerated() {
      let count = input.templates.templates[template].count
      if seen[template] == 0 {
        hits.append(
          DetectorHit(
            record: index, score: scores[template],
            reason:
              "a template never seen in training (\(count) records of it here, \(trained) records trained on)",
            tags: ["new"]))
      } else if rare[template] {
        hits.append(
          DetectorHit(
            record: index, score: scores[template],
            reason: "template seen \(seen[template]) times in \(trained) training records",
            tags: ["rare"]))
      }
    }
    let runs = RareRuns.fold(hits, input)
    parameters["runs"] = String(runs.runs)
    return DetectorReport(name: name, parameters: parameters, hits: runs.hits, scores: nil)
  }
}
