import Foundation

/// Template-mining accuracy as the Loghub benchmark defines it, from two structured CSVs
/// (`LineId,…,EventId,EventTemplate`): the truth and the prediction.
///
/// - Grouping Accuracy (GA): a line is correct when the set of lines sharing its predicted
///   template is exactly the set sharing its true template; GA = correct lines / lines.
/// - Parsing Accuracy (PA): a line is correct when its predicted template text equals its true
///   template (whitespace runs collapsed).
/// - FGA: the F1 of group precision (correct predicted groups / predicted groups) and group
///   recall (correct groups / true groups), a group being correct when its lines are exactly a
///   true group's.
/// - FTA (Khan et al., ICSE 2022): the same F1 over templates, a template being correct when its
///   group is correct and its text equals the true template.
public struct ParsingEvaluation: Sendable, Codable, Equatable {
  /// Lines compared.
  public var lines: Int
  /// Distinct true templates.
  public var trueTemplates: Int
  /// Distinct predicted templates.
  public var predictedTemplates: Int
  /// Grouping accuracy.
  public var groupingAccuracy: Double
  /// Parsing accuracy.
  public var parsingAccuracy: Double
  /// F1 of grouping accuracy.
  public var fga: Double
  /// F1 of template accuracy.
  public var fta: Double

  /// A problem with the inputs, naming the file.
  public struct InputError: Error, CustomStringConvertible {
    /// The sentence for the user.
    public var description: String
  }

  /// One line's true and predicted group and template.
  public struct Assignment: Sendable {
    /// The true group id.
    public var trueGroup: String
    /// The true template.
    public var trueTemplate: String
    /// The predicted group id.
    public var predictedGroup: String
    /// The predicted template.
    public var predictedTemplate: String

    /// Creates an assignment.
    public init(
      trueGroup: String, trueTemplate: String, predictedGroup: String, predictedTemplate: String
    ) {
      self.trueGroup = trueGroup
      self.trueTemplate = trueTemplate
      self.predictedGroup = predictedGroup
      self.predictedTemplate = predictedTemplate
    }
  }

  /// Evaluates two structured CSV files, joined on `LineId`.
  /// - Throws: ``InputError`` when a file is missing, lacks the columns, or the line ids differ.
  public static func evaluate(truthPath: String, predictedPath: String) throws(InputError)
    -> ParsingEvaluation
  {
    let truth = try read(truthPath)
    let predicted = try read(predictedPath)
    var assignments: [Assignment] = []
    assignments.reserveCapacity(truth.count)
    var missing = 0
    for (line, expected) in truth.sorted(by: { $0.key < $1.key }) {
      guard let found = predicted[line] else {
        missing += 1
        continue
      }
      assignments.append(
        Assignment(
          trueGroup: expected.0, trueTemplate: expected.1, predictedGroup: found.0,
          predictedTemplate: found.1))
    }
    if missing > 0 {
      throw InputError(
        description: "\(predictedPath): \(missing) of the truth's LineIds are missing")
    }
    return evaluate(assignments)
  }

  /// Evaluates assignments directly.
  public static func evaluate(_ assignments: [Assignment]) -> ParsingEvaluation {
    var trueGroups: [String: [Int]] = [:]
    var predictedGroups: [String: [Int]] = [:]
    for (index, assignment) in assignments.enumerated() {
      trueGroups[assignment.trueGroup, default: []].append(index)
      predictedGroups[assignment.predictedGroup, default: []].append(index)
    }
    var correctLines = 0
    var correctGroups = 0
    var correctTemplates = 0
    for (_, members) in predictedGroups {
      guard let first = members.first else { continue }
      let trueGroup = assignments[first].trueGroup
      // Correct when all members share one true group and that group has no other member.
      let exact =
        members.allSatisfy { assignments[$0].trueGroup == trueGroup }
        && trueGroups[trueGroup]?.count == members.count
      guard exact else { continue }
      correctLines += members.count
      correctGroups += 1
      if normalise(assignments[first].predictedTemplate)
        == normalise(assignments[first].trueTemplate)
      {
        correctTemplates += 1
      }
    }
    let parsedCorrectly = assignments.filter {
      normalise($0.predictedTemplate) == normalise($0.trueTemplate)
    }.count
    func f1(_ correct: Int) -> Double {
      let precision = Double(correct) / Double(max(predictedGroups.count, 1))
      let recall = Double(correct) / Double(max(trueGroups.count, 1))
      return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }
    let total = Double(max(assignments.count, 1))
    return ParsingEvaluation(
      lines: assignments.count, trueTemplates: trueGroups.count,
      predictedTemplates: predictedGroups.count,
      groupingAccuracy: round(Double(correctLines) / total),
      parsingAccuracy: round(Double(parsedCorrectly) / total), fga: round(f1(correctGroups)),
      fta: round(f1(correctTemplates)))
  }

  private static func round(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }

  /// The template with whitespace runs collapsed and ends trimmed.
  static func normalise(_ template: String) -> String {
    template.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
  }

  private static func read(_ path: String) throws(InputError) -> [Int: (String, String)] {
    let table: CSVTable
    do {
      table = try CSVTable(path: path)
    } catch {
      throw InputError(description: error.description)
    }
    guard let line = table.column(["lineid", "line_id", "line"]),
      let group = table.column(["eventid"]),
      let template = table.column(["eventtemplate"])
    else {
      throw InputError(description: "\(path): needs LineId, EventId and EventTemplate columns")
    }
    var rows: [Int: (String, String)] = [:]
    for row in table.rows.indices {
      guard let id = table.integer(row, line) else { continue }
      rows[id] = (table.text(row, group), table.text(row, template))
    }
    return rows
  }
}
