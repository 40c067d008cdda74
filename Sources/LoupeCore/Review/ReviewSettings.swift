import Foundation

/// LLM review settings: the config's `llm` section (keys as the earlier tool had them) and the
/// `workflow` section's retry and prompt steps.
///
/// ```yaml
/// llm:
///   enabled: true              # or pass --llm to analyze
///   provider: ollama           # ollama or openai (any OpenAI-compatible endpoint)
///   model: llama3.2
///   endpoint: http://localhost:11434   # default per provider
///   api_key_env: OPENAI_API_KEY        # openai: the variable holding the key
///   timeout: 60                # seconds per call
///   max_retries: 2             # retries after the first attempt (or workflow.retry.max_attempts)
///   max_calls: 50              # at most this many calls per run
///   concurrency: 4             # calls in flight at once
///   examples: 3                # example lines per template
///   min_severity: low          # findings reviewed
///   max_severity_change: 1     # levels an answer may move a finding's severity (0: annotate only)
///   cache_file: ~/.cache/loupe/llm-review.json
/// workflow:
///   retry: {max_attempts: 3, initial_delay: 1.0, max_delay: 30, backoff_factor: 2.0, jitter: true}
///   steps:
///     prompt:
///       template: default      # default, security or brief
///       custom_template: "Is this anomalous? {template}\n{log}\n{context}"
/// ```
public struct ReviewSettings: Sendable, Equatable {
  /// The provider's wire protocol.
  public enum Provider: String, Sendable, Equatable, CaseIterable {
    /// Ollama's `/api/generate`.
    case ollama
    /// `/v1/chat/completions`.
    case openai
  }

  /// Whether review runs without `--llm`.
  public var enabled = false
  /// The provider.
  public var provider: Provider = .ollama
  /// The model name.
  public var model = "llama3.2"
  /// The base URL.
  public var endpoint: String?
  /// The environment variable holding the API key.
  public var apiKeyEnvironment = "OPENAI_API_KEY"
  /// Seconds per call.
  public var timeout: Double = 60
  /// Retry timing.
  public var retry = RetryPolicy()
  /// The most calls per run.
  public var maxCalls = 50
  /// Calls in flight at once.
  public var concurrency = 4
  /// Example lines per template.
  public var examples = 3
  /// The least severity of a reviewed finding.
  public var minSeverity: Severity = .low
  /// How many levels an answer may move a severity.
  public var maxSeverityChange = 1
  /// The answer cache; `nil`: the default under the user's cache directory.
  public var cacheFile: String?
  /// The built-in prompt's name.
  public var promptTemplate = "default"
  /// A custom prompt with `{log}`, `{template}` and `{context}` placeholders.
  public var customTemplate: String?

  /// Default settings.
  public init() {}

  /// The base URL to call.
  public var baseURL: String {
    let text =
      endpoint ?? (provider == .ollama ? "http://localhost:11434" : "https://api.openai.com")
    return text.hasSuffix("/") ? String(text.dropLast()) : text
  }

  /// The cache file to use: the configured one, else `$XDG_CACHE_HOME/loupe/llm-review.json`
  /// or `~/.cache/loupe/llm-review.json`.
  public var resolvedCacheFile: String {
    if let cacheFile { return (cacheFile as NSString).expandingTildeInPath }
    let environment = ProcessInfo.processInfo.environment
    let base =
      environment["XDG_CACHE_HOME"]
      ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
    return ((base as NSString).appendingPathComponent("loupe") as NSString)
      .appendingPathComponent("llm-review.json")
  }

  /// What is wrong with the settings, or `nil`.
  public var problem: String? {
    if model.isEmpty { return "llm.model is empty" }
    if let endpoint {
      guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme ?? ""),
        url.host != nil
      else { return "llm.endpoint must be an http or https URL" }
    }
    if timeout <= 0 { return "llm.timeout must be positive" }
    if maxCalls < 0 { return "llm.max_calls must be at least 0" }
    if concurrency < 1 { return "llm.concurrency must be at least 1" }
    if !(1...20).contains(examples) { return "llm.examples must be in 1…20" }
    if !(0...3).contains(maxSeverityChange) { return "llm.max_severity_change must be in 0…3" }
    if let problem = retry.problem { return "workflow.retry: \(problem)" }
    if customTemplate == nil, ReviewPrompt.builtIn[promptTemplate] == nil {
      return
        "workflow.steps.prompt.template must be one of \(ReviewPrompt.builtIn.keys.sorted().joined(separator: ", "))"
    }
    if let customTemplate, !customTemplate.contains("{log}"), !customTemplate.contains("{template}")
    {
      return "workflow.steps.prompt.custom_template needs {log} or {template}"
    }
    return nil
  }
}

/// Decodes the `llm` and `workflow` sections into ``ReviewSettings``.
struct ReviewSections: Decodable, Equatable {
  struct LLM: Decodable, Equatable {
    var enabled: Bool?
    var provider: String?
    var model: String?
    var endpoint: String?
    var apiKeyEnv: String?
    var timeout: Double?
    var maxRetries: Int?
    var maxCalls: Int?
    var concurrency: Int?
    var examples: Int?
    var minSeverity: String?
    var maxSeverityChange: Int?
    var cacheFile: String?
    enum CodingKeys: String, CodingKey {
      case enabled, provider, model, endpoint, timeout, concurrency, examples
      case apiKeyEnv = "api_key_env"
      case maxRetries = "max_retries"
      case maxCalls = "max_calls"
      case minSeverity = "min_severity"
      case maxSeverityChange = "max_severity_change"
      case cacheFile = "cache_file"
    }
  }
  struct Workflow: Decodable, Equatable {
    struct Steps: Decodable, Equatable {
      struct Prompt: Decodable, Equatable {
        var template: String?
        var customTemplate: String?
        enum CodingKeys: String, CodingKey {
          case template
          case customTemplate = "custom_template"
        }
      }
      var prompt: Prompt?
    }
    var retry: RetryPolicy?
    var steps: Steps?
  }
  var llm: LLM?
  var workflow: Workflow?

  /// The settings these sections give, or a sentence saying what is wrong.
  func settings() -> Result<ReviewSettings, ReviewSettingsError> {
    var settings = ReviewSettings()
    if let llm {
      settings.enabled = llm.enabled ?? false
      if let name = llm.provider {
        guard let provider = ReviewSettings.Provider(rawValue: name.lowercased()) else {
          return .failure(
            .init(description: "llm.provider must be ollama or openai, not '\(name)'"))
        }
        settings.provider = provider
      }
      if let model = llm.model { settings.model = model }
      settings.endpoint = llm.endpoint
      if let name = llm.apiKeyEnv { settings.apiKeyEnvironment = name }
      if let timeout = llm.timeout { settings.timeout = timeout }
      if let retries = llm.maxRetries {
        guard retries >= 0 else {
          return .failure(.init(description: "llm.max_retries must be at least 0"))
        }
        settings.retry.maxAttempts = retries + 1
      }
      if let calls = llm.maxCalls { settings.maxCalls = calls }
      if let concurrency = llm.concurrency { settings.concurrency = concurrency }
      if let examples = llm.examples { settings.examples = examples }
      if let text = llm.minSeverity {
        guard let severity = Severity(rawValue: text.lowercased()) else {
          return .failure(
            .init(description: "llm.min_severity must be low, medium, high or critical"))
        }
        settings.minSeverity = severity
      }
      if let change = llm.maxSeverityChange { settings.maxSeverityChange = change }
      settings.cacheFile = llm.cacheFile
    }
    if let retry = workflow?.retry {
      // workflow.retry wins over llm.max_retries, as in the earlier tool.
      settings.retry = retry
    }
    if let prompt = workflow?.steps?.prompt {
      if let name = prompt.template { settings.promptTemplate = name }
      settings.customTemplate = prompt.customTemplate
    }
    if let problem = settings.problem { return .failure(.init(description: problem)) }
    return .success(settings)
  }
}

/// A problem with the review settings.
struct ReviewSettingsError: Error {
  var description: String
}
