/// `sessions`: HDFS-like block workflows in HDFS's log format (`yyMMdd HHmmss pid LEVEL
/// component: message`), with the variety of the real log: each block is allocated and written
/// to two or three data nodes (receiving, received, packet responder terminating and stored per
/// replica, replicas finishing in any order); it may then be served to readers a few times,
/// some of which are cut off (a normal warning in HDFS), verified, and deleted (the name node
/// asks, each replica deletes). Many blocks interleave. Anomalous blocks skip a replica's
/// received or stored step, repeat one, receive a block before it started arriving, or fail
/// with an exception. Labels are per session (`session,label,kind`, the session being the
/// `blk_` id); `--anomaly-rate` is the share of anomalous sessions.
public struct SessionScenario: Scenario {
  /// `sessions`.
  public let name = "sessions"
  /// A one-line description.
  public let summary = "HDFS-like block workflows, labelled per session (block id)"

  /// Creates the scenario.
  public init() {}

  enum Step: Equatable {
    case allocate
    case receiving(Int)
    case received(Int)
    case terminating(Int)
    case stored(Int)
    case served(Int)
    case serveCut(Int)
    case verify
    case askDelete
    case delete(Int)
    case exception, responderException
  }

  static let kinds = ["skip_step", "repeat_step", "reorder", "failure"]

  /// A normal block's steps.
  static func normalSteps(_ random: inout SeededRandom) -> [Step] {
    let replicas = random.nextUnit() < 0.85 ? 3 : 2
    var steps: [Step] = [.allocate]
    steps += (0..<replicas).map { Step.receiving($0) }
    var finishing = Array(0..<replicas)
    finishing.shuffle(using: &random)
    for replica in finishing {
      steps.append(.received(replica))
      steps.append(.terminating(replica))
    }
    finishing.shuffle(using: &random)
    steps += finishing.map { Step.stored($0) }
    for _ in 0..<random.nextIndex(3) {
      let replica = random.nextIndex(replicas)
      steps.append(random.nextUnit() < 0.3 ? .serveCut(replica) : .served(replica))
    }
    if random.nextUnit() < 0.5 { steps.append(.verify) }
    if random.nextUnit() < 0.7 {
      steps.append(.askDelete)
      steps += (0..<replicas).map { Step.delete($0) }
    }
    return steps
  }

  struct Session {
    var id: Int64
    var steps: [Step]
    var next = 0
    var nodes: [Int]
    var kind: String?
  }
  /// Writes the log and its session labels.
  public func generate(
    _ settings: GeneratorSettings, output: inout LineWriter, labels: inout LabelWriter?
  )
    throws(LineWriter.WriteError) -> GenerationSummary
  {
    var random = SeededRandom(seed: settings.seed)
    var clock = SyntheticClock(start: settings.start, eventsPerSecond: 20)
    let times = TimestampWriter()
    var summary = GenerationSummary(
      lines: 0, anomalousLines: 0, sessions: 0, anomalousSessions: 0, kinds: [:])
    var active: [Session] = []
    var plannedLines = 0
    let concurrency = 40

    func makeSession(_ random: inout SeededRandom) -> Session {
      var steps = Self.normalSteps(&random)
      var kind: String?
      if random.nextUnit() < settings.anomalyRate {
        let chosen = random.pick(Self.kinds)
        kind = chosen
        let core = steps.indices.filter {
          switch steps[$0] {
          case .received, .stored: true
          default: false
          }
        }
        let pick = core[random.nextIndex(core.count)]
        switch chosen {
        case "skip_step": steps.remove(at: pick)
        case "repeat_step": steps.insert(steps[pick], at: pick + 1)
        case "reorder":
          // A replica reports the block received before any replica started receiving it.
          if let received = steps.firstIndex(where: {
            if case .received = $0 { true } else { false }
          }) {
            let moved = steps.remove(at: received)
            steps.insert(moved, at: 1)
          }
        default:
          let cut = 2 + random.nextIndex(5)
          steps = Array(steps.prefix(cut)) + [.exception, .responderException]
        }
      }
      let id = Int64(bitPattern: random.next()) / 2
      let nodes = (0..<3).map { _ in random.nextIndex(250) }
      return Session(id: id, steps: steps, nodes: nodes, kind: kind)
    }

    func address(_ out: inout LineWriter, _ node: Int) {
      out.append("10.250.")
      out.append(node / 16 + 1)
      out.append(byte: 0x2E)
      out.append(node % 250 + 2)
    }

    func block(_ out: inout LineWriter, _ id: Int64) {
      out.append("blk_")
      if id < 0 { out.append(byte: 0x2D) }
      out.append(Int(id.magnitude))
    }

    func write(
      _ out: inout LineWriter, _ session: Session, _ step: Step, _ time: Double,
      _ random: inout SeededRandom
    ) {
      times.write(time, .compact, to: &out)
      out.append(byte: 0x20)
      out.append(10 + random.nextIndex(3000))
      switch step {
      case .allocate:
        out.append(
          " INFO dfs.FSNamesystem: BLOCK* NameSystem.allocateBlock: /user/root/rand/_temporary/_task_"
        )
        out.append(random.nextIndex(1000), width: 6)
        out.append("_m_")
        out.append(random.nextIndex(2000), width: 6)
        out.append("_0/part-")
        out.append(random.nextIndex(2000), width: 5)
        out.append(". ")
        block(&out, session.id)
      case .receiving(let replica):
        out.append(" INFO dfs.DataNode$DataXceiver: Receiving block ")
        block(&out, session.id)
        out.append(" src: /")
        address(&out, session.nodes[(replica + 2) % 3])
        out.append(":")
        out.append(30_000 + random.nextIndex(30_000))
        out.append(" dest: /")
        address(&out, session.nodes[replica])
        out.append(":50010")
      case .received(let replica):
        out.append(" INFO dfs.DataNode$PacketResponder: Received block ")
        block(&out, session.id)
        out.append(" of size 67108864 from /")
        address(&out, session.nodes[replica])
      case .terminating(let replica):
        out.append(" INFO dfs.DataNode$PacketResponder: PacketResponder ")
        out.append(replica)
        out.append(" for block ")
        block(&out, session.id)
        out.append(" terminating")
      case .served(let replica):
        out.append(" INFO dfs.DataNode$DataXceiver: ")
        address(&out, session.nodes[replica])
        out.append(":50010 Served block ")
        block(&out, session.id)
        out.append(" to /")
        address(&out, random.nextIndex(250))
      case .serveCut(let replica):
        out.append(" WARN dfs.DataNode$DataXceiver: ")
        address(&out, session.nodes[replica])
        out.append(":50010:Got exception while serving ")
        block(&out, session.id)
        out.append(" to /")
        address(&out, random.nextIndex(250))
        out.append(":")
      case .askDelete:
        out.append(" INFO dfs.FSNamesystem: BLOCK* ask ")
        address(&out, session.nodes[0])
        out.append(":50010 to delete ")
        block(&out, session.id)
      case .stored(let replica):
        out.append(" INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: ")
        address(&out, session.nodes[replica])
        out.append(":50010 is added to ")
        block(&out, session.id)
        out.append(" size 67108864")
      case .verify:
        out.append(" INFO dfs.DataBlockScanner: Verification succeeded for ")
        block(&out, session.id)
      case .delete:
        out.append(" INFO dfs.FSDataset: Deleting block ")
        block(&out, session.id)
        out.append(" file /mnt/hadoop/dfs/data/current/subdir")
        out.append(random.nextIndex(64))
        out.append("/")
        block(&out, session.id)
      case .exception:
        out.append(" WARN dfs.DataNode$DataXceiver: writeBlock ")
        block(&out, session.id)
        out.append(" received exception java.io.IOException: Connection reset by peer")
      case .responderException:
        out.append(" INFO dfs.DataNode$PacketResponder: PacketResponder ")
        block(&out, session.id)
        out.append(" 1 Exception java.io.EOFException")
      }
    }

    var line = 0
    while line < settings.lines {
      // Start sessions while their lines still fit; the rest of the file is node heartbeats.
      while active.count < concurrency {
        let session = makeSession(&random)
        guard plannedLines + session.steps.count <= settings.lines else { break }
        plannedLines += session.steps.count
        active.append(session)
        summary.sessions? += 1
        if let kind = session.kind {
          summary.anomalousSessions? += 1
          summary.kinds[kind, default: 0] += 1
        }
        var idText = "blk_"
        if session.id < 0 { idText += "-" }
        idText += String(session.id.magnitude)
        try labels?.session(idText, kind: session.kind)
      }
      let time = clock.tick(&random)
      if active.isEmpty {
        times.write(time, .compact, to: &output)
        output.append(byte: 0x20)
        output.append(10 + random.nextIndex(3000))
        output.append(" INFO dfs.DataNode: BlockReport of ")
        output.append(random.nextIndex(500))
        output.append(" blocks got processed in ")
        output.append(1 + random.nextIndex(20))
        output.append(" msecs")
        plannedLines += 1
      } else {
        let index = random.nextIndex(active.count)
        let step = active[index].steps[active[index].next]
        write(&output, active[index], step, time, &random)
        if active[index].kind != nil { summary.anomalousLines += 1 }
        active[index].next += 1
        if active[index].next == active[index].steps.count { active.remove(at: index) }
      }
      try output.endLine()
      line += 1
    }
    try output.close()
    try labels?.finish()
    summary.lines = line
    return summary
  }
}
