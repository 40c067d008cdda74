/// Turns mined templates back into a matcher: a new message belongs to the template whose
/// masked tokens equal its own, a bare `<*>` accepting any token.
public struct TemplateMatcher: Sendable {
  private let store: TemplateStore

  /// Creates a matcher for the templates of a state.
  public init(_ state: TemplateState) {
    store = TemplateStore(state.groups)
  }

  /// The template `message` belongs to, or `nil` for a message no template fits.
  /// - Parameter message: the message text.
  /// - Returns: the template's id and text.
  public func match(_ message: String) -> Template? {
    var bytes = Array(message.utf8)
    return bytes.withUnsafeMutableBufferPointer { buffer in
      match(UnsafeBufferPointer(buffer), ByteSpan(0, buffer.count))
    }
  }

  /// The template the message at `span` of `bytes` belongs to, or `nil`.
  public func match(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Template? {
    var tokenizer = MessageTokenizer()
    tokenizer.tokenize(bytes, span)
    let sequence = tokenizer.tokens.map(\.hash)
    guard let position = store.find(sequence, key: SequenceKey(sequence, count: sequence.count))
    else {
      return nil
    }
    let group = store.groups[position]
    let text = String(decoding: Array(group.texts.joined(separator: [0x20])), as: UTF8.self)
    return Template(
      id: Template.id(for: text), text: text, count: group.count, firstLine: group.firstLine)
  }
}
