/// The events of a service-oriented application: normal traffic over twelve services and the
/// anomaly kinds injected into it. Shared by the `app` and `json` scenarios.
enum ApplicationEvents {
  /// An event: its service, level and a writer for its message.
  struct Event: Sendable {
    var service: String
    var level: String
    var write: @Sendable (inout LineWriter, inout SeededRandom) -> Void
  }

  static let services = [
    "PaymentService", "AuthService", "OrderService", "InventoryService", "UserService",
    "NotificationService", "SearchService", "Gateway", "Scheduler", "CacheService",
    "ReportingService", "ShippingService",
  ]

  static func event(
    _ service: String, _ level: String,
    _ write: @escaping @Sendable (inout LineWriter, inout SeededRandom) -> Void
  ) -> Event {
    Event(service: service, level: level, write: write)
  }

  /// Normal events with their weights.
  static let normal: [(Event, Double)] = [
    (
      event("Gateway", "INFO") { out, random in
        out.append("Request GET /api/v1/orders/")
        out.append(10_000 + random.nextIndex(90_000))
        out.append(" completed in ")
        out.append(Int(random.logNormal(median: 45, sigma: 0.5)))
        out.append(" ms")
      }, 14
    ),
    (
      event("Gateway", "INFO") { out, random in
        out.append("Request POST /api/v1/payments completed in ")
        out.append(Int(random.logNormal(median: 120, sigma: 0.4)))
        out.append(" ms")
      }, 6
    ),
    (
      event("AuthService", "INFO") { out, random in
        out.append("User login successful: user_id=")
        out.append(10_000 + random.nextIndex(90_000))
      }, 8
    ),
    (
      event("AuthService", "INFO") { out, random in
        out.append("Token refreshed for user_id=")
        out.append(10_000 + random.nextIndex(90_000))
      }, 5
    ),
    (
      event("UserService", "INFO") { out, random in
        out.append("User profile loaded: user_id=")
        out.append(10_000 + random.nextIndex(90_000))
      }, 6
    ),
    (
      event("OrderService", "INFO") { out, random in
        out.append("Order ORD-")
        out.append(100_000 + random.nextIndex(900_000))
        out.append(" created with ")
        out.append(1 + random.nextIndex(8))
        out.append(" items")
      }, 6
    ),
    (
      event("OrderService", "INFO") { out, random in
        out.append("Order ORD-")
        out.append(100_000 + random.nextIndex(900_000))
        out.append(
          random.pick([
            " status changed to SHIPPED", " status changed to PAID", " status changed to DELIVERED",
          ]))
      }, 4
    ),
    (
      event("PaymentService", "INFO") { out, random in
        out.append("Payment PAY-")
        out.append(100_000 + random.nextIndex(900_000))
        out.append(" authorised amount=")
        out.append(random.logNormal(median: 40, sigma: 0.8), decimals: 2)
        out.append(" EUR")
      }, 6
    ),
    (
      event("PaymentService", "INFO") { out, random in
        out.append("Refund PAY-")
        out.append(100_000 + random.nextIndex(900_000))
        out.append(" processed")
      }, 1
    ),
    (
      event("InventoryService", "DEBUG") { out, random in
        out.append("Stock level for sku-")
        out.append(1000 + random.nextIndex(9000))
        out.append(" is ")
        out.append(random.nextIndex(500))
      }, 5
    ),
    (
      event("InventoryService", "INFO") { out, random in
        out.append("Reserved ")
        out.append(1 + random.nextIndex(5))
        out.append(" units of sku-")
        out.append(1000 + random.nextIndex(9000))
      }, 4
    ),
    (
      event("CacheService", "DEBUG") { out, random in
        out.append(random.pick(["Cache hit for key: session:", "Cache miss for key: product:"]))
        out.append(100_000 + random.nextIndex(900_000))
      }, 8
    ),
    (
      event("CacheService", "INFO") { out, random in
        out.append("Cache eviction: ")
        out.append(10 + random.nextIndex(500))
        out.append(" entries removed")
      }, 2
    ),
    (
      event("SearchService", "INFO") { out, random in
        out.append("Search query returned ")
        out.append(random.nextIndex(200))
        out.append(" results in ")
        out.append(Int(random.logNormal(median: 30, sigma: 0.6)))
        out.append(" ms")
      }, 5
    ),
    (
      event("NotificationService", "INFO") { out, random in
        out.append("Email sent to user_id=")
        out.append(10_000 + random.nextIndex(90_000))
        out.append(
          random.pick([
            " template=order_confirmation", " template=password_reset", " template=shipping_update",
          ]))
      }, 3
    ),
    (
      event("Scheduler", "INFO") { out, random in
        out.append("Job ")
        out.append(
          random.pick(["cleanup-sessions", "rebuild-index", "sync-inventory", "send-digest"]))
        out.append(" finished in ")
        out.append(Int(random.logNormal(median: 800, sigma: 0.7)))
        out.append(" ms")
      }, 2
    ),
    (
      event("ReportingService", "INFO") { out, random in
        out.append("Report ")
        out.append(random.pick(["daily-sales", "inventory-summary", "user-growth"]))
        out.append(" generated in ")
        out.append(Int(random.logNormal(median: 2500, sigma: 0.5)))
        out.append(" ms")
      }, 1
    ),
    (
      event("ShippingService", "INFO") { out, random in
        out.append("Shipment SHP-")
        out.append(100_000 + random.nextIndex(900_000))
        out.append(" dispatched via ")
        out.append(random.pick(["DHL", "UPS", "FedEx", "PostNL"]))
      }, 3
    ),
    (
      event("Gateway", "WARN") { out, random in
        out.append("Slow request GET /api/v1/search took ")
        out.append(1000 + random.nextIndex(2000))
        out.append(" ms")
      }, 0.6
    ),
    (
      event("CacheService", "WARN") { out, random in
        out.append("Cache size approaching limit: ")
        out.append(70 + random.nextIndex(15))
        out.append("% used")
      }, 0.4
    ),
    (
      event("PaymentService", "ERROR") { out, random in
        out.append("Card declined for payment PAY-")
        out.append(100_000 + random.nextIndex(900_000))
        out.append(": insufficient funds")
      }, 0.3
    ),
  ]

  /// Runs the line loop with these events, `write` turning an event into a line.
  static func generate(
    _ settings: GeneratorSettings, output: inout LineWriter, labels: inout LabelWriter?,
    write: (Event, Double, inout LineWriter, inout SeededRandom) -> Void
  ) throws(LineWriter.WriteError) -> GenerationSummary {
    let runner = LineScenarioRunner(settings: settings, kinds: kinds)
    return try runner.run(
      output: &output, labels: &labels,
      normal: { out, random, time in write(random.pick(normal), time, &out, &random) },
      anomaly: { out, random, time, kind, step, seed in
        write(anomaly(kind, step: step, seed: seed), time, &out, &random)
      })
  }

  /// The injected anomaly kinds.
  static let kinds: [AnomalyKind] = [
    AnomalyKind(name: "memory_exhaustion", minLength: 1, maxLength: 3),
    AnomalyKind(name: "cpu_exhaustion", minLength: 1, maxLength: 3),
    AnomalyKind(name: "disk_exhaustion"),
    AnomalyKind(name: "db_pool_exhaustion", minLength: 1, maxLength: 3),
    AnomalyKind(name: "db_deadlock"),
    AnomalyKind(name: "db_timeout", minLength: 1, maxLength: 2),
    AnomalyKind(name: "db_failover"),
    AnomalyKind(name: "auth_brute_force", minLength: 5, maxLength: 12),
    AnomalyKind(name: "auth_invalid_token", minLength: 1, maxLength: 3),
    AnomalyKind(name: "out_of_memory"),
    AnomalyKind(name: "read_only_fs"),
    AnomalyKind(name: "network_down"),
    AnomalyKind(name: "malformed_line"),
  ]

  /// The event for one line of an anomaly of `kind`; `step` counts the lines of a burst and
  /// `seed` is fixed for the burst (the attacker's address, the failing host).
  static func anomaly(_ kind: String, step: Int, seed: Int) -> Event {
    switch kind {
    case "memory_exhaustion":
      return event(services[seed % 12], step == 0 ? "WARN" : "ERROR") { out, random in
        out.append("Memory usage critical: ")
        out.append(95 + random.nextIndex(5))
        out.append("% of heap used, GC overhead limit approaching")
      }
    case "cpu_exhaustion":
      return event(services[seed % 12], "WARN") { out, random in
        out.append("CPU usage at ")
        out.append(97 + random.nextIndex(3))
        out.append("% for ")
        out.append(60 + random.nextIndex(240))
        out.append(" s - throttling requests")
      }
    case "disk_exhaustion":
      return event("ReportingService", "ERROR") { out, random in
        out.append("Disk space critical: 0.")
        out.append(1 + random.nextIndex(8))
        out.append("% free on /var/lib/data")
      }
    case "db_pool_exhaustion":
      return event(["OrderService", "PaymentService", "UserService"][seed % 3], "ERROR") {
        out, random in
        out.append("Database connection pool exhausted - 0 of ")
        out.append(random.pick([20, 50, 100]))
        out.append(" connections available")
      }
    case "db_deadlock":
      return event("OrderService", "ERROR") { out, random in
        out.append("Deadlock detected in transaction tx-")
        out.append(10_000 + random.nextIndex(90_000))
        out.append(" - rolling back")
      }
    case "db_timeout":
      return event(["OrderService", "SearchService"][seed % 2], "ERROR") { out, random in
        out.append("Database query timeout after ")
        out.append(random.pick([30_000, 60_000]))
        out.append(" ms on table orders")
      }
    case "db_failover":
      return event("PaymentService", "ERROR") { out, _ in
        out.append("Primary database unreachable - failing over to replica db-2")
      }
    case "auth_brute_force":
      return event("AuthService", "WARN") { out, random in
        out.append("Authentication failed for user ")
        out.append(["admin", "root", "administrator"][seed % 3])
        out.append(" from 203.0.113.")
        out.append(seed % 254 + 1)
        out.append(random.pick([": invalid password", ": account locked"]))
      }
    case "auth_invalid_token":
      return event("AuthService", "ERROR") { out, random in
        out.append("Invalid token presented by client 198.51.100.")
        out.append(seed % 254 + 1)
        out.append(random.pick([" - signature mismatch", " - token expired or forged"]))
      }
    case "out_of_memory":
      return event(services[seed % 12], "FATAL") { out, _ in
        out.append("java.lang.OutOfMemoryError: Java heap space - out of memory, process killed")
      }
    case "read_only_fs":
      return event("NotificationService", "ERROR") { out, _ in
        out.append("Write failed: Read-only file system: /var/log/app/notifications.log")
      }
    case "network_down":
      return event("Gateway", "ERROR") { out, random in
        out.append("Network interface eth")
        out.append(seed % 2)
        out.append(" down - connection to 10.0.")
        out.append(random.nextIndex(255))
        out.append(".")
        out.append(1 + random.nextIndex(254))
        out.append(" lost")
      }
    default:
      return event("", "") { out, random in
        out.append(
          random.pick([
            "#@!$ MALFORMED ENTRY ??? 0x", "<<<truncated>>> 0x", "%%% corrupt record 0x",
          ]))
        out.append(random.nextIndex(1 << 30))
      }
    }
  }
}
