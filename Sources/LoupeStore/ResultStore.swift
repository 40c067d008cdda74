import LoupeCore

/// Where analyses, their findings, templates, sessions and alerts, saved models and ingested
/// lines are kept. Two implementations share one schema and one implementation of the
/// queries (``SQLResultStore``): SQLite through GRDB (the default, one file) and PostgreSQL
/// through postgres-nio.
public protocol ResultStore: Sendable {
  /// Stores an analysis and everything in it in one transaction: readers see all of it or
  /// none of it.
  func save(_ record: AnalysisRecord) async throws
  /// The analyses, newest first, without their reports; only `owner`'s when given.
  func analyses(owner: String?, limit: Int, offset: Int) async throws -> [StoredAnalysis]
  /// One analysis, with its report.
  func analysis(id: String) async throws -> StoredAnalysis?
  /// A page of an analysis's findings.
  func findings(analysis id: String, query: FindingQuery) async throws -> FindingPage
  /// An analysis's templates, most common first.
  func templates(analysis id: String) async throws -> [StoredTemplate]
  /// An analysis's judged sessions, highest score first.
  func sessions(analysis id: String) async throws -> [StoredSession]
  /// The alerts an analysis raised.
  func alerts(analysis id: String) async throws -> [AlertRecord]
  /// Deletes an analysis and everything in it.
  /// - Returns: whether it existed.
  func delete(analysis id: String) async throws -> Bool
  /// Deletes every analysis of `owner`.
  /// - Returns: how many there were.
  func deleteAll(owner: String) async throws -> Int
  /// Stores a model file's JSON under a name, replacing an older one.
  func saveModel(name: String, body: String) async throws
  /// A stored model's JSON.
  func model(name: String) async throws -> String?
  /// The stored models' names.
  func modelNames() async throws -> [String]
  /// Appends lines to a stream durably; returns once they are committed.
  /// - Returns: the sequence number of the last line.
  func appendIngest(stream: String, lines: [String], at time: Double) async throws -> Int
  /// Lines of a stream after sequence number `after`, oldest first, at most `limit`.
  func ingested(stream: String, after: Int, limit: Int) async throws -> [(seq: Int, line: String)]
  /// How many lines a stream holds (its last sequence number; 0 for none), from the index.
  func ingestedCount(stream: String) async throws -> Int
  /// The streams and how many lines each holds.
  func streams() async throws -> [(stream: String, lines: Int)]
  /// Closes the connections.
  func close() async
}
