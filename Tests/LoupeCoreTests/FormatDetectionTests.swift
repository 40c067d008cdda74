import Testing

@testable import LoupeCore

@Suite struct FormatDetectionTests {
  /// Every dataset in `../shared/datasets`, and the format auto-detection must pick for it.
  static let expectations: [(String, String)] = [
    ("loghub-2k/Android/Android_2k.log", "loghub:Android"),
    ("loghub-2k/Apache/Apache_2k.log", "web-error"),
    ("loghub-2k/BGL/BGL_2k.log", "loghub:BGL"),
    ("loghub-2k/HDFS/HDFS_2k.log", "loghub:HDFS"),
    ("loghub-2k/HPC/HPC_2k.log", "loghub:HPC"),
    ("loghub-2k/Hadoop/Hadoop_2k.log", "loghub:Hadoop"),
    ("loghub-2k/Linux/Linux_2k.log", "syslog"),
    ("loghub-2k/Spark/Spark_2k.log", "loghub:Spark"),
    ("loghub-2k/Windows/Windows_2k.log", "loghub:Windows"),
    ("loghub-2k/Zookeeper/Zookeeper_2k.log", "loghub:Zookeeper"),
    ("hdfs/HDFS_2k.log", "loghub:HDFS"),
    ("log-tracker/application.log", "app"),
    ("log-tracker/security.log", "app"),
    ("web/orglog1.csv", "csv-wrapped+access"),
    ("web/sample_metrics.csv", "csv"),
  ]

  @Test(arguments: expectations)
  func datasetFormatIsRecognised(path: String, expected: String) throws {
    let (source, _) = try InputReader.read(.file(Fixtures.dataset(path)))
    let result = try RecordReader.read(source, options: ReadOptions())
    #expect(result.formatName == expected)
    #expect(result.unparsedCount == 0)
    #expect(!result.records.isEmpty)
  }

  @Test(arguments: [
    ("{\"msg\":\"a\",\"level\":\"info\"}\n{\"msg\":\"b\",\"level\":\"warn\"}\n", "json"),
    ("a=1 b=2 msg=hello\na=2 b=3 msg=world\n", "logfmt"),
    ("name;age;city\nann;31;Oslo\nbob;42;Rome\n", "csv"),
    ("name\tage\nann\t31\nbob\t42\n", "tsv"),
    ("id|value|note\n1|2.5|x\n2|3.5|y\n", "csv"),
    ("just some words\nand more words\n", "plain"),
  ])
  func smallSamples(text: String, expected: String) throws {
    #expect(try Fixtures.read(text).formatName == expected)
  }

  /// Loghub's Thunderbird layout: recognised, and its first token — the alert label the
  /// dataset's authors added — kept out of the message.
  @Test func thunderbirdLinesKeepTheirLabelOutOfTheMessage() throws {
    let text = """
      - 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root
      - 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond[2916]: (root) CMD (run-parts /etc/cron.hourly)
      VAPI 1131567181 2005.11.09 tbird-admin1 Nov 9 12:13:01 local@tbird-admin1 postfix/postdrop[10896]: warning: unable to look up public/pickup: No such file or directory

      """
    let result = try Fixtures.read(text)
    #expect(result.formatName == "loghub:Thunderbird")
    #expect(result.unparsedCount == 0)
    #expect(
      result.text(result.records[2].message)
        == "warning: unable to look up public/pickup: No such file or directory")
    #expect(result.field(2, "Label") == "VAPI")
    #expect(result.text(result.records[1].component) == "crond")
    #expect(result.records[0].timestamp == 1_131_566_461)
  }

  @Test func unknownFormatNameIsAnInputProblem() {
    #expect(throws: InputProblem.self) { try Fixtures.read("x\n", format: "nope") }
  }
}
