import Testing

@testable import LoupeCore

/// Logs of common servers that no format is named after: each record keeps its time, level and
/// message.
@Suite struct ServerLogFormatTests {
  @Test func postgreSQL() throws {
    let read = try Fixtures.read(
      """
      2024-01-15 08:00:00.123 UTC [1000] LOG:  database system is ready to accept connections
      2024-01-15 08:00:02.123 UTC [1002] ERROR:  relation "users" does not exist at character 15
      2024-01-15 08:00:02.124 UTC [1002] STATEMENT:  SELECT * FROM users
      2024-01-15 08:00:03.500 UTC [1003] FATAL:  password authentication failed for user "bob"

      """)
    #expect(read.formatName == "app")
    #expect(read.records.map(\.level) == [.info, .error, .info, .critical])
    #expect(read.records.map(\.pid) == [1000, 1002, 1002, 1003])
    #expect(
      read.text(read.records[1].message) == #"relation "users" does not exist at character 15"#)
    #expect(read.records[3].timestamp == epoch(2024, 1, 15, 8, 0, 3) + 0.5)
  }

  /// Spring Boot's default console format, 2.x and 3.x (with the application's name), and an
  /// ISO time with its zone right before the level.
  @Test func springBoot() throws {
    let read = try Fixtures.read(
      """
      2024-01-15T08:00:00.123Z  INFO 12345 --- [           main] o.s.b.w.e.tomcat.TomcatWebServer  : Tomcat started on port 8080 (http)
      2024-01-15T08:00:01.123+01:00 ERROR 12345 --- [shop] [nio-8080-exec-5] c.e.shop.PaymentService           : payment gateway unavailable
      2024-01-15 08:00:02.123  WARN 12345 --- [           main] o.h.e.j.e.i.JdbcEnvironmentInitiator : HHH000342: Could not obtain connection

      """)
    #expect(read.formatName == "app")
    #expect(read.records.map(\.level) == [.info, .error, .warning])
    #expect(read.records.map(\.pid) == [12345, 12345, 12345])
    #expect(read.text(read.records[0].component) == "o.s.b.w.e.tomcat.TomcatWebServer")
    #expect(read.text(read.records[0].message) == "Tomcat started on port 8080 (http)")
    #expect(read.text(read.records[1].component) == "c.e.shop.PaymentService")
    #expect(read.text(read.records[1].message) == "payment gateway unavailable")
    #expect(read.records[1].timestamp == epoch(2024, 1, 15, 7, 0, 1) + 0.123)
    #expect(read.text(read.records[2].message) == "HHH000342: Could not obtain connection")
    // Auto-detected: a level where a syslog host would be is no host.
    let iso = try Fixtures.read(
      (0..<3).map {
        "2024-01-15T08:00:0\($0).000Z  INFO 1 --- [main] c.e.OrderController : order \($0) created"
      }.joined(separator: "\n") + "\n")
    #expect(iso.formatName == "app")
    #expect(iso.records.map(\.level) == [.info, .info, .info])
  }

  /// .NET's console logger: a header line, then the indented message and exception.
  @Test func dotNetConsole() throws {
    let read = try Fixtures.read(
      """
      info: Microsoft.Hosting.Lifetime[14]
            Now listening on: http://[::]:8080
      info: Microsoft.AspNetCore.Hosting.Diagnostics[1]
            Request starting HTTP/1.1 GET http://localhost:8080/api/orders/7 - -
      fail: Microsoft.AspNetCore.Server.Kestrel[13]
            Connection id "0HMVD", Request id "0HMVD:00000002": An unhandled exception was thrown by the application.
            System.NullReferenceException: Object reference not set to an instance of an object.
               at Api.Controllers.OrdersController.Get(Int32 id) in /src/Api/OrdersController.cs:line 42
      2024-01-15 08:00:03 crit: Microsoft.AspNetCore.Hosting.Diagnostics[6] Application startup exception

      """)
    #expect(read.formatName == "dotnet")
    #expect(read.records.map(\.line) == [1, 3, 5, 9])
    #expect(read.records.map(\.level) == [.info, .info, .error, .critical])
    #expect(read.text(read.records[2].component) == "Microsoft.AspNetCore.Server.Kestrel")
    #expect(read.field(2, "event_id") == "13")
    #expect(read.records[2].lineCount == 4)
    let failure = try #require(read.text(read.records[2].message))
    #expect(failure.hasPrefix("Microsoft.AspNetCore.Server.Kestrel[13]"))
    #expect(failure.contains("System.NullReferenceException"))
    #expect(read.records[3].timestamp == epoch(2024, 1, 15, 8, 0, 3))
    #expect(read.text(read.records[3].message) == "Application startup exception")
  }

  /// PHP's error log: the error kind is the level, and a stack trace joins its error.
  @Test func phpErrorLog() throws {
    let read = try Fixtures.read(
      """
      [15-Jan-2024 08:00:00 UTC] PHP Notice:  Undefined index: page in /var/www/html/index.php on line 10
      [15-Jan-2024 08:00:01 UTC] PHP Warning:  file_get_contents(/tmp/x): failed to open stream: No such file or directory in /var/www/html/cache.php on line 8
      [15-Jan-2024 08:00:02 UTC] PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/html/db.php:12
      Stack trace:
      #0 /var/www/html/index.php(3): require()
      #1 {main}
        thrown in /var/www/html/db.php on line 12
      [15-Jan-2024 08:00:03 UTC] PHP Deprecated:  Function create_function() is deprecated in /var/www/html/old.php on line 4

      """)
    #expect(read.formatName == "app")
    #expect(read.records.map(\.line) == [1, 2, 3, 8])
    #expect(read.records.map(\.level) == [.notice, .warning, .critical, .notice])
    #expect(read.records[2].lineCount == 5)
    #expect(read.records[0].timestamp == epoch(2024, 1, 15, 8, 0, 0))
    #expect(
      read.text(read.records[0].message)
        == "Undefined index: page in /var/www/html/index.php on line 10")
    #expect(
      read.text(read.records[2].message)?.hasPrefix("Uncaught Error: Call to undefined function")
        == true)
  }

  /// Gunicorn's and Celery's headers; a traceback joins its record.
  @Test func gunicornAndCelery() throws {
    let read = try Fixtures.read(
      """
      [2024-01-15 08:00:00 +0000] [1234] [INFO] Booting worker with pid: 1234
      [2024-01-15 08:00:01 +0000] [1234] [ERROR] Exception in worker process
      Traceback (most recent call last):
        File "/app/x.py", line 3, in <module>
      ValueError: bad
      [2024-01-15 08:00:02,123: INFO/MainProcess] Task tasks.add[abc-123] succeeded in 0.012s: 3
      [2024-01-15 08:00:03,456: ERROR/ForkPoolWorker-1] Task tasks.charge[def-456] raised unexpected: ConnectionError('timeout')

      """)
    #expect(read.formatName == "app")
    #expect(read.records.map(\.level) == [.info, .error, .info, .error])
    #expect(read.records.map(\.pid) == [1234, 1234, nil, nil])
    #expect(read.records[1].lineCount == 4)
    #expect(read.text(read.records[3].component) == "ForkPoolWorker-1")
    #expect(
      read.text(read.records[3].message)
        == "Task tasks.charge[def-456] raised unexpected: ConnectionError('timeout')")
    #expect(read.records[3].timestamp == epoch(2024, 1, 15, 8, 0, 3) + 0.456)
  }

  @Test func goLogWithAndWithoutLevels() throws {
    let read = try Fixtures.read(
      """
      2024/01/15 08:00:00 server listening on :8080
      2024/01/15 08:00:01 GET /health 200 1ms
      2024/01/15 08:00:02 error: dial tcp 10.0.0.5:5432: connect: connection refused
      2024/01/15 08:00:03 GET /api/users 200 12ms

      """)
    #expect(read.formatName == "app")
    #expect(read.unparsedCount == 0)
    #expect(read.records.map(\.timestamp) == (0..<4).map { epoch(2024, 1, 15, 8, 0, $0) })
    #expect(read.records.map(\.level) == [nil, nil, .error, nil])
    #expect(read.text(read.records[1].message) == "GET /health 200 1ms")
    #expect(
      read.text(read.records[2].message) == "dial tcp 10.0.0.5:5432: connect: connection refused")
  }

  @Test func mySQLNotes() throws {
    let read = try Fixtures.read(
      """
      2024-01-15T08:00:01.123456Z 1 [Warning] [MY-010055] [Server] IP address could not be resolved
      2024-01-15T08:00:02.123456Z 2 [ERROR] [MY-010002] [Server] Table mysql.user is marked as crashed
      2024-01-15T08:00:03.123456Z 3 [Note] [MY-010914] [Server] Aborted connection 12 to db
      2024-01-15T08:00:04.123456Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections.

      """)
    #expect(read.records.map(\.level) == [.warning, .error, .notice, .info])
    #expect(read.text(read.records[3].component) == "Server")
    #expect(read.field(3, "code") == "MY-010931")
    #expect(read.text(read.records[3].message) == "/usr/sbin/mysqld: ready for connections.")
    #expect(read.text(read.records[2].message) == "Aborted connection 12 to db")
    // The subsystem is the component; the event code is a field.
    #expect(read.text(read.records[1].component) == "Server")
    #expect(read.field(1, "code") == "MY-010002")
    func isEventCode(_ text: String) -> Bool {
      let bytes = Array(text.utf8)
      return bytes.withUnsafeBufferPointer {
        ApplicationLogFormat.isEventCode($0, ByteSpan(0, bytes.count))
      }
    }
    #expect(isEventCode("ORA-00600"))
    #expect(isEventCode("E1234"))
    #expect(!isEventCode("Thread-12"))
    #expect(!isEventCode("main"))
  }

  @Test func pythonLoggingDefaults() throws {
    let read = try Fixtures.read(
      """
      INFO:root:Starting worker
      WARNING:app.db:Slow query took 2.5 s
      ERROR:app.db:Connection refused
      Traceback (most recent call last):
        File "worker.py", line 12, in run
      ConnectionRefusedError: [Errno 111] Connection refused
      CRITICAL:app:Out of memory

      """)
    #expect(read.formatName == "python")
    #expect(read.records.map(\.level) == [.info, .warning, .error, .critical])
    #expect(read.text(read.records[1].component) == "app.db")
    #expect(read.text(read.records[0].message) == "Starting worker")
    #expect(read.records[2].lineCount == 4)
    #expect(read.unparsedCount == 0)
  }

  @Test func redisSymbolsAreLevels() throws {
    let read = try Fixtures.read(
      """
      1:C 15 Jan 2024 08:00:00.123 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo
      1:M 15 Jan 2024 08:00:00.128 * Ready to accept connections tcp
      20:C 15 Jan 2024 08:05:00.010 * DB saved on disk
      1:M 15 Jan 2024 08:06:00.100 - Accepted 10.0.0.5:51234
      1:S 15 Jan 2024 08:07:00.000 # Error condition on socket for SYNC: Connection refused

      """)
    #expect(read.formatName == "redis")
    #expect(read.records.map(\.level) == [.warning, .info, .info, .debug, .warning])
    #expect(read.records.map(\.pid) == [1, 1, 20, 1, 1])
    #expect(read.field(2, "role") == "C")
    #expect(read.text(read.records[1].message) == "Ready to accept connections tcp")
    #expect(read.records[1].timestamp == epoch(2024, 1, 15, 8) + 0.128)
    let old = try Fixtures.read(
      """
      [4321] 15 Jan 08:00:00.123 # Server started, Redis version 2.8.4
      [4321] 15 Jan 08:00:00.124 * The server is now ready to accept connections on port 6379

      """)
    #expect(old.formatName == "redis")
    #expect(old.records.map(\.level) == [.warning, .info])
    #expect(old.records[0].timestamp == epoch(2024, 1, 15, 8) + 0.123)
  }

  @Test func cassandraLevelBeforeTheTime() throws {
    let read = try Fixtures.read(
      """
      INFO  [main] 2024-01-15 08:00:00,123 StorageService.java:1234 - Node /10.0.0.5 state jump to NORMAL
      WARN  [GossipTasks:1] 2024-01-15 08:00:01,456 FailureDetector.java:288 - Not marking nodes down
      ERROR [CompactionExecutor:5] 2024-01-15 08:00:02,789 CassandraDaemon.java:581 - Exception in thread

      """)
    #expect(read.records.map(\.level) == [.info, .warning, .error])
    #expect(read.records[2].timestamp == epoch(2024, 1, 15, 8, 0, 2) + 0.789)
    #expect(read.text(read.records[1].message)?.hasPrefix("FailureDetector.java:288") == true)
  }

  @Test func kubernetesAuditEventsAreJudgedByTheirStatus() throws {
    let line = { (code: Int) in
      #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/secrets","verb":"list","user":{"username":"system:anonymous"},"responseStatus":{"metadata":{},"code":\#(code)},"requestReceivedTimestamp":"2024-01-15T08:00:00.000000Z"}"#
    }
    let read = try Fixtures.read([line(200), line(403), line(500)].joined(separator: "\n") + "\n")
    #expect(read.formatName == "json")
    #expect(read.records.map(\.level) == [.info, .warning, .error])
    #expect(RequestField.status.name(in: read.records) == "responseStatus.code")
    #expect(RequestField.uri.name(in: read.records) == "requestURI")
  }

  @Test func rubyLogger() throws {
    let read = try Fixtures.read(
      """
      I, [2024-01-15T08:00:00.123456 #1000]  INFO -- : Started GET "/" for 127.0.0.1
      E, [2024-01-15T08:00:02.123456 #1002] ERROR -- : ActiveRecord::RecordNotFound (Couldn't find User)
      W, [2024-01-15T08:00:03.123456 #1003]  WARN -- : Deprecation warning: foo

      """)
    #expect(read.formatName == "stamped")
    #expect(read.records.map(\.level) == [.info, .error, .warning])
    #expect(read.records.map(\.pid) == [1000, 1002, 1003])
    #expect(
      read.text(read.records[1].message) == "ActiveRecord::RecordNotFound (Couldn't find User)")
  }

  @Test func mongoDBJSON() throws {
    let read = try Fixtures.read(
      #"""
      {"t":{"$date":"2024-01-15T08:00:00.123+00:00"},"s":"I","c":"NETWORK","id":22943,"ctx":"listener","msg":"Connection accepted"}
      {"t":{"$date":"2024-01-15T08:00:01.500+00:00"},"s":"E","c":"REPL","id":21401,"ctx":"conn2","msg":"Error in heartbeat"}

      """#)
    #expect(read.records.map(\.level) == [.info, .error])
    #expect(read.records[1].timestamp == epoch(2024, 1, 15, 8, 0, 1) + 0.5)
  }

  @Test func journaldJSON() throws {
    let read = try Fixtures.read(
      #"""
      {"__REALTIME_TIMESTAMP":"1705305600000000","PRIORITY":"6","_HOSTNAME":"web1","SYSLOG_IDENTIFIER":"sshd","_PID":"812","MESSAGE":"Accepted publickey for bob"}
      {"__REALTIME_TIMESTAMP":"1705305601500000","PRIORITY":"3","_HOSTNAME":"web1","SYSLOG_IDENTIFIER":"kernel","_PID":"0","MESSAGE":"Out of memory: Killed process 1234"}

      """#)
    #expect(read.records.map(\.timestamp) == [1_705_305_600, 1_705_305_601.5])
    #expect(read.records.map(\.level) == [.info, .error])
    #expect(read.text(read.records[1].component) == "kernel")
    #expect(read.text(read.records[0].host) == "web1")
    #expect(read.records[0].pid == 812)
  }

  @Test func googleCloudTextPayloadAndWindowsLevels() throws {
    let cloud = try Fixtures.read(
      #"""
      {"timestamp":"2024-01-15T08:00:01Z","severity":"ERROR","resource":{"type":"k8s_container"},"textPayload":"panic: nil pointer dereference"}

      """#)
    #expect(cloud.text(cloud.records[0].message) == "panic: nil pointer dereference")
    #expect(cloud.records[0].level == .error)
    let windows = try Fixtures.read(
      """
      Level,Date and Time,Source,Event ID,Task Category
      Information,1/15/2024 8:00:00 AM,Microsoft-Windows-Security-Auditing,4624,Logon
      Error,1/15/2024 8:00:01 AM,Service Control Manager,7031,None

      """)
    #expect(windows.records.map(\.level) == [.info, .error])
    #expect(LogLevel.parse(Array("Informational".utf8)) == .info)
    #expect(LogLevel.parse(Array("formation".utf8)) == nil)
  }

  /// Epoch numbers are told apart by magnitude; a string that is a bare date number is not one.
  @Test func epochMagnitudes() throws {
    #expect(JSONLinesFormat.epochSeconds(1_705_305_600) == 1_705_305_600)
    #expect(JSONLinesFormat.epochSeconds(1_705_305_600_123) == 1_705_305_600.123)
    #expect(JSONLinesFormat.epochSeconds(1_705_305_600_123_456) == 1_705_305_600.123456)
    #expect(
      abs(JSONLinesFormat.epochSeconds(1_705_305_600_123_456_000) - 1_705_305_600.123456) < 1e-6)
    let read = try Fixtures.read(#"{"date":"20240115","msg":"x"}"# + "\n")
    #expect(read.records[0].timestamp == nil)
  }
}
