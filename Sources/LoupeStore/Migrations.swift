import Foundation

/// The schema, as numbered steps applied in order by both stores and recorded in
/// `loupe_migrations`. The SQL is the common subset of SQLite and PostgreSQL.
enum Migrations {
  /// The steps, oldest first. Never edit a released step; add a new one.
  static let steps: [(version: Int, statements: [String])] = [
    (
      1,
      [
        """
        CREATE TABLE analyses (
          id TEXT PRIMARY KEY,
          owner TEXT NOT NULL,
          input_name TEXT NOT NULL,
          format TEXT NOT NULL,
          config TEXT NOT NULL,
          created_at DOUBLE PRECISION NOT NULL,
          run_seconds DOUBLE PRECISION NOT NULL,
          records BIGINT NOT NULL,
          anomalies BIGINT NOT NULL,
          summary TEXT NOT NULL,
          charts TEXT NOT NULL,
          report TEXT NOT NULL
        )
        """,
        "CREATE INDEX analyses_owner ON analyses (owner, created_at)",
        """
        CREATE TABLE findings (
          analysis_id TEXT NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
          ordinal BIGINT NOT NULL,
          line BIGINT NOT NULL,
          timestamp TEXT,
          level TEXT,
          component TEXT,
          template_id TEXT NOT NULL,
          score DOUBLE PRECISION NOT NULL,
          severity TEXT NOT NULL,
          severity_rank BIGINT NOT NULL,
          detectors TEXT NOT NULL,
          reason TEXT NOT NULL,
          message TEXT NOT NULL,
          PRIMARY KEY (analysis_id, ordinal)
        )
        """,
        "CREATE INDEX findings_severity ON findings (analysis_id, severity_rank, score)",
        """
        CREATE TABLE templates (
          analysis_id TEXT NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
          template_id TEXT NOT NULL,
          template TEXT NOT NULL,
          count BIGINT NOT NULL,
          first_line BIGINT NOT NULL,
          anomalous_count BIGINT NOT NULL,
          PRIMARY KEY (analysis_id, template_id)
        )
        """,
        """
        CREATE TABLE sessions (
          analysis_id TEXT NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
          ordinal BIGINT NOT NULL,
          session TEXT NOT NULL,
          started TEXT,
          ended TEXT,
          records BIGINT NOT NULL,
          score DOUBLE PRECISION NOT NULL,
          severity TEXT,
          reason TEXT NOT NULL,
          PRIMARY KEY (analysis_id, ordinal)
        )
        """,
        """
        CREATE TABLE alerts (
          analysis_id TEXT NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
          ordinal BIGINT NOT NULL,
          rule TEXT NOT NULL,
          dedup_key TEXT NOT NULL,
          severity TEXT NOT NULL,
          title TEXT NOT NULL,
          deliveries TEXT NOT NULL,
          PRIMARY KEY (analysis_id, ordinal)
        )
        """,
        """
        CREATE TABLE models (
          name TEXT PRIMARY KEY,
          created_at DOUBLE PRECISION NOT NULL,
          body TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE ingest_lines (
          stream TEXT NOT NULL,
          seq BIGINT NOT NULL,
          received_at DOUBLE PRECISION NOT NULL,
          line TEXT NOT NULL,
          PRIMARY KEY (stream, seq)
        )
        """,
      ]
    )
  ]

  /// Applies the steps not yet recorded. All of it runs in one transaction holding the
  /// executor's migration lock, so that two servers starting together on one database do
  /// not both create the tables.
  static func apply(_ executor: any SQLExecutor) async throws {
    try await executor.transaction { transaction in
      if let lock = executor.migrationLock { _ = try await transaction.query(lock, []) }
      try await transaction.execute(
        "CREATE TABLE IF NOT EXISTS loupe_migrations (version BIGINT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)",
        [])
      let applied = Set(
        try await transaction.query("SELECT version FROM loupe_migrations", []).compactMap {
          $0.first?.integer
        })
      for step in steps where !applied.contains(step.version) {
        for statement in step.statements { try await transaction.execute(statement, []) }
        try await transaction.execute(
          "INSERT INTO loupe_migrations (version, applied_at) VALUES (?, ?)",
          [.integer(step.version), .real(Date().timeIntervalSince1970)])
      }
    }
  }
}
