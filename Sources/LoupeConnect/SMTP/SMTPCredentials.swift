import Foundation
import LoupeCore

/// Where the SMTP password comes from: `smtp.password_file` (which must belong to the user
/// and be unreadable by anyone else) or the environment variable `smtp.password_env`
/// (default `LOUPE_SMTP_PASSWORD`). Never the command line, where `ps` would show it.
public enum SMTPCredentials {
  /// A password source problem, in one sentence.
  public struct Problem: Error, CustomStringConvertible {
    /// The sentence.
    public var description: String
  }

  /// The password for `settings`, or `nil` when no user is set.
  /// - Throws: ``Problem`` when a user is set and the password cannot be had safely.
  public static func password(
    for settings: SMTPSettings,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> String? {
    guard settings.username != nil else { return nil }
    if let file = settings.passwordFile {
      let path = (file as NSString).expandingTildeInPath
      var status = stat()
      guard stat(path, &status) == 0 else {
        throw Problem(description: "smtp.password_file \(path) cannot be read")
      }
      guard status.st_mode & 0o077 == 0 else {
        throw Problem(
          description:
            "smtp.password_file \(path) is readable by others; make it private (chmod 600 \(path))")
      }
      guard status.st_uid == getuid() else {
        throw Problem(description: "smtp.password_file \(path) does not belong to this user")
      }
      guard let data = FileManager.default.contents(atPath: path) else {
        throw Problem(description: "smtp.password_file \(path) cannot be read")
      }
      let text = String(decoding: data, as: UTF8.self)
      return String(text.trimmingCharacters(in: CharacterSet(charactersIn: "\r\n")))
    }
    guard let value = environment[settings.passwordEnvironment], !value.isEmpty else {
      throw Problem(
        description:
          "smtp.username is set but $\(settings.passwordEnvironment) is empty and there is no smtp.password_file"
      )
    }
    return value
  }
}
