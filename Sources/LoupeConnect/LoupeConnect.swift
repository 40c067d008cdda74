/// The outside world: e-mail over SMTP, webhooks and LLM providers. The core never talks to
/// the network; this target does, on SwiftNIO, NIOSSL and AsyncHTTPClient.
public enum LoupeConnect {}
