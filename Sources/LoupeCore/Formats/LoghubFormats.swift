/// The header formats of the sixteen Loghub systems (as in Loghub's benchmark settings), usable
/// as `--format loghub:NAME` and tried by auto-detection.
public enum LoghubFormats {
  /// System name and LOGPAI header format.
  public static let all: [(name: String, format: String)] = [
    ("HDFS", "<Date> <Time> <Pid> <Level> <Component>: <Content>"),
    ("Hadoop", "<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>"),
    ("Spark", "<Date> <Time> <Level> <Component>: <Content>"),
    ("Zookeeper", "<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>"),
    (
      "BGL",
      "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>"
    ),
    ("HPC", "<LogId> <Node> <Component> <State> <Time> <Flag> <Content>"),
    ("Windows", "<Date> <Time>, <Level>                  <Component>    <Content>"),
    ("Linux", "<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>"),
    ("Android", "<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>"),
    ("Apache", "\\[<Time>\\] \\[<Level>\\] <Content>"),
    // Like BGL, Loghub's Thunderbird log starts each line with its alert label (`-` for none).
    (
      "Thunderbird",
      "<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\\[<PID>\\])?: <Content>"
    ),
    ("HealthApp", "<Time>\\|<Component>\\|<Pid>\\|<Content>"),
    ("Mac", "<Month>  <Date> <Time> <User> <Component>\\[<PID>\\]( \\(<Address>\\))?: <Content>"),
    ("OpenSSH", "<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>"),
    ("OpenStack", "<Logrecord> <Date> <Time> <Pid> <Level> <Component> \\[<ADDR>\\] <Content>"),
    ("Proxifier", "\\[<Time>\\] <Program> - <Content>"),
  ]

  /// The compiled format for a system, by name (case-insensitive).
  /// - Parameter name: e.g. `HDFS`.
  /// - Returns: the format, or `nil` for an unknown system.
  public static func format(named name: String) -> HeaderPatternFormat? {
    guard let entry = all.first(where: { $0.name.lowercased() == name.lowercased() }) else {
      return nil
    }
    return try? HeaderPatternFormat(name: "loghub:\(entry.name)", format: entry.format)
  }
}
