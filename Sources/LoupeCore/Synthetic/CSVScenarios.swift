/// `process-csv`: process activity in the style of Windows process monitors
/// (`Time,Computer,User,PID,Basename,Path,ActionId,Action,CPU,Memory,Threads,Handles`), with
/// suspicious processes, unusual actions for a process, resource spikes and system binaries
/// running from odd paths injected — the data behind a `Basename` × `ActionId` heatmap.
public struct ProcessCSVScenario: Scenario {
  /// `process-csv`.
  public let name = "process-csv"
  /// A one-line description.
  public let summary =
    "process-activity CSV (Time,Computer,User,PID,Basename,Path,ActionId,Action,...)"

  /// Creates the scenario.
  public init() {}

  static let header =
    "Time,Computer,User,PID,Basename,Path,ActionId,Action,CPU,Memory,Threads,Handles"
  static let actions = [
    (1, "ProcessStart"), (2, "ProcessStop"), (3, "FileRead"), (4, "FileWrite"),
    (5, "NetworkConnect"),
    (6, "RegistryRead"), (7, "RegistryWrite"), (8, "ImageLoad"),
  ]

  /// A normal process: its path, usual action ids, CPU and memory medians.
  struct Process {
    var basename: String
    var path: String
    var actions: [Int]
    var cpu: Double
    var memory: Double
    var weight: Double
  }

  static let processes: [Process] = [
    Process(
      basename: "chrome.exe", path: "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
      actions: [3, 4, 5, 8], cpu: 8, memory: 450, weight: 25),
    Process(
      basename: "explorer.exe", path: "C:\\Windows\\explorer.exe", actions: [3, 6, 8], cpu: 2,
      memory: 120, weight: 10),
    Process(
      basename: "svchost.exe", path: "C:\\Windows\\System32\\svchost.exe",
      actions: [3, 5, 6, 7, 8], cpu: 1, memory: 40, weight: 20),
    Process(
      basename: "outlook.exe",
      path: "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", actions: [3, 4, 5],
      cpu: 4, memory: 300, weight: 8),
    Process(
      basename: "teams.exe",
      path: "C:\\Users\\Public\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe",
      actions: [3, 4, 5, 8], cpu: 6, memory: 500, weight: 8),
    Process(
      basename: "code.exe", path: "C:\\Program Files\\Microsoft VS Code\\Code.exe",
      actions: [3, 4, 8], cpu: 5, memory: 350, weight: 6),
    Process(
      basename: "notepad.exe", path: "C:\\Windows\\System32\\notepad.exe", actions: [1, 2, 3, 4],
      cpu: 0.5, memory: 15, weight: 4),
    Process(
      basename: "msedge.exe",
      path: "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
      actions: [3, 5, 8], cpu: 6, memory: 380, weight: 8),
    Process(
      basename: "MsMpEng.exe",
      path: "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\MsMpEng.exe", actions: [3, 6],
      cpu: 3, memory: 200, weight: 6),
    Process(
      basename: "onedrive.exe", path: "C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe",
      actions: [3, 4, 5], cpu: 1, memory: 90, weight: 5),
  ]

  static let kinds: [AnomalyKind] = [
    AnomalyKind(name: "suspicious_process", minLength: 1, maxLength: 3),
    AnomalyKind(name: "unusual_action"),
    AnomalyKind(name: "resource_spike"),
    AnomalyKind(name: "odd_path"),
  ]

  /// Writes the CSV and its line labels (the header is line 1).
  public func generate(
    _ settings: GeneratorSettings, output: inout LineWriter, labels: inout LabelWriter?
  )
    throws(LineWriter.WriteError) -> GenerationSummary
  {
    let times = TimestampWriter()
    let users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]
    let weighted = Self.processes.map { ($0, $0.weight) }
    func row(
      _ out: inout LineWriter, _ random: inout SeededRandom, _ time: Double, computer: Int,
      user: String,
      basename: String, path: String, action: Int, cpu: Double, memory: Double
    ) {
      times.write(time, .isoSpace, to: &out)
      out.append(",WS-")
      out.append(computer, width: 3)
      out.append(byte: 0x2C)
      out.append(user)
      out.append(byte: 0x2C)
      out.append(1000 + random.nextIndex(30_000))
      out.append(byte: 0x2C)
      out.append(basename)
      out.append(byte: 0x2C)
      out.append(path)
      out.append(byte: 0x2C)
      out.append(action)
      out.append(byte: 0x2C)
      out.append(Self.actions[action - 1].1)
      out.append(byte: 0x2C)
      out.append(cpu, decimals: 1)
      out.append(byte: 0x2C)
      out.append(memory, decimals: 1)
      out.append(byte: 0x2C)
      out.append(4 + random.nextIndex(60))
      out.append(byte: 0x2C)
      out.append(100 + random.nextIndex(2000))
    }
    let runner = LineScenarioRunner(
      settings: settings, kinds: Self.kinds, header: Self.header, eventsPerSecond: 3)
    return try runner.run(
      output: &output, labels: &labels,
      normal: { out, random, time in
        let process = random.pick(weighted)
        row(
          &out, &random, time, computer: 1 + random.nextIndex(40), user: random.pick(users),
          basename: process.basename, path: process.path, action: random.pick(process.actions),
          cpu: min(100, random.logNormal(median: process.cpu, sigma: 0.5)),
          memory: random.logNormal(median: process.memory, sigma: 0.3))
      },
      anomaly: { out, random, time, kind, step, seed in
        let computer = 1 + seed % 40
        let user = users[seed % users.count]
        switch kind {
        case "suspicious_process":
          let tool = [
            ("mimikatz.exe", "C:\\Users\\Public\\Downloads\\mimikatz.exe"),
            ("psexec.exe", "C:\\Windows\\Temp\\psexec.exe"),
            ("nc.exe", "C:\\Users\\Public\\nc.exe"),
          ][seed % 3]
          row(
            &out, &random, time, computer: computer, user: user, basename: tool.0, path: tool.1,
            action: [1, 5, 7][step % 3], cpu: 15 + Double(random.nextIndex(30)),
            memory: 30 + Double(random.nextIndex(50)))
        case "unusual_action":
          let odd = [
            ("notepad.exe", "C:\\Windows\\System32\\notepad.exe", 5),
            ("explorer.exe", "C:\\Windows\\explorer.exe", 7),
            (
              "MsMpEng.exe", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\MsMpEng.exe",
              2
            ),
          ][seed % 3]
          row(
            &out, &random, time, computer: computer, user: user, basename: odd.0, path: odd.1,
            action: odd.2, cpu: 1, memory: 20)
        case "resource_spike":
          let process = Self.processes[seed % Self.processes.count]
          row(
            &out, &random, time, computer: computer, user: user, basename: process.basename,
            path: process.path, action: process.actions[0], cpu: 97 + Double(random.nextIndex(3)),
            memory: process.memory * 20)
        default:
          row(
            &out, &random, time, computer: computer, user: user, basename: "svchost.exe",
            path: "C:\\Users\\\(user)\\AppData\\Local\\Temp\\svchost.exe", action: 5, cpu: 12,
            memory: 60)
        }
      })
  }
}

/// `metrics-csv`: request metrics
/// (`timestamp,user_id,request_time_ms,response_bytes,status_code,error_rate,cpu_usage,memory_usage`)
/// with latency, size, error, CPU and memory outliers injected.
public struct MetricsCSVScenario: Scenario {
  /// `metrics-csv`.
  public let name = "metrics-csv"
  /// A one-line description.
  public let summary = "request metrics CSV with numeric outliers"

  /// Creates the scenario.
  public init() {}

  static let header =
    "timestamp,user_id,request_time_ms,response_bytes,status_code,error_rate,cpu_usage,memory_usage"

  static let kinds: [AnomalyKind] = [
    AnomalyKind(name: "latency_spike"), AnomalyKind(name: "size_outlier"),
    AnomalyKind(name: "error_spike"), AnomalyKind(name: "cpu_spike"),
    AnomalyKind(name: "memory_spike"),
  ]

  /// Writes the CSV and its line labels (the header is line 1).
  public func generate(
    _ settings: GeneratorSettings, output: inout LineWriter, labels: inout LabelWriter?
  )
    throws(LineWriter.WriteError) -> GenerationSummary
  {
    let times = TimestampWriter()
    struct Row {
      var latency: Double
      var bytes: Double
      var status: Int
      var errorRate: Double
      var cpu: Double
      var memory: Double
    }
    func normalRow(_ random: inout SeededRandom) -> Row {
      Row(
        latency: random.logNormal(median: 120, sigma: 0.45),
        bytes: random.logNormal(median: 20_000, sigma: 0.6),
        status: random.pick([(200, 90.0), (201, 3), (304, 3), (400, 2), (404, 2)]),
        errorRate: 0.01 + random.nextUnit() * 0.09, cpu: 20 + random.nextUnit() * 40,
        memory: 25 + random.nextUnit() * 35)
    }
    func write(_ out: inout LineWriter, _ random: inout SeededRandom, _ time: Double, _ row: Row) {
      times.write(time, .isoMillis, to: &out)
      out.append(",user_")
      out.append(1 + random.nextIndex(200))
      out.append(byte: 0x2C)
      out.append(Int(row.latency))
      out.append(byte: 0x2C)
      out.append(Int(row.bytes))
      out.append(byte: 0x2C)
      out.append(row.status)
      out.append(byte: 0x2C)
      out.append(row.errorRate, decimals: 3)
      out.append(byte: 0x2C)
      out.append(row.cpu, decimals: 1)
      out.append(byte: 0x2C)
      out.append(row.memory, decimals: 1)
    }
    let runner = LineScenarioRunner(
      settings: settings, kinds: Self.kinds, header: Self.header, eventsPerSecond: 0.5)
    return try runner.run(
      output: &output, labels: &labels,
      normal: { out, random, time in write(&out, &random, time, normalRow(&random)) },
      anomaly: { out, random, time, kind, _, _ in
        var row = normalRow(&random)
        switch kind {
        case "latency_spike": row.latency = 5_000 + random.nextUnit() * 25_000
        case "size_outlier": row.bytes = 20_000_000 + random.nextUnit() * 80_000_000
        case "error_spike":
          row.errorRate = 0.6 + random.nextUnit() * 0.35
          row.status = random.pick([500, 502, 503])
        case "cpu_spike": row.cpu = 97 + random.nextUnit() * 3
        default: row.memory = 95 + random.nextUnit() * 4.9
        }
        write(&out, &random, time, row)
      })
  }
}
