/// AWS VPC flow logs as delivered to S3 or exported from CloudWatch: one flow per line, fields
/// separated by spaces (`2 123456789010 eni-1235b8ca 172.31.16.139 172.31.16.21 20641 22 6 20
/// 4249 1418530010 1418530070 ACCEPT OK`). A file of a custom format starts with a header line
/// of field names (`version account-id interface-id srcaddr …`); the default format has none,
/// and its fourteen fields are named here. The time is the `start` of the capture window.
extension DelimitedDialect {
  /// `vpc-flow`.
  static let vpcFlowLabel = "vpc-flow"

  /// The fields of the default (version 2) format, in order.
  static let vpcDefaultFields = [
    "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport",
    "protocol", "packets", "bytes", "start", "end", "action", "log-status",
  ]

  /// Every field a custom format may name (AWS's list, versions 2 to 8).
  static let vpcFieldNames: Set<String> = Set(vpcDefaultFields).union([
    "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr",
    "region", "az-id", "sublocation-type", "sublocation-id", "pkt-src-aws-service",
    "pkt-dst-aws-service", "flow-direction", "traffic-path", "ecs-cluster-arn",
    "ecs-cluster-name", "ecs-container-instance-arn", "ecs-container-instance-id",
    "ecs-container-id", "ecs-second-container-id", "ecs-service-name", "ecs-task-definition-arn",
    "ecs-task-arn", "ecs-task-id", "reject-reason",
  ])

  /// The dialect of a VPC flow log from its first lines: a header of flow-log field names, or
  /// lines of the default format; `nil` otherwise.
  static func vpcFlow(_ bytes: UnsafeBufferPointer<UInt8>, lines: [ByteSpan]) -> DelimitedDialect? {
    let sample = lines.filter { !$0.isEmpty }.prefix(20)
    guard let first = sample.first else { return nil }
    let names = pieces(bytes, first, separator: 0x20).map {
      String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.start..<$0.end]), as: UTF8.self)
    }
    if names.count >= 4, names.allSatisfy(vpcFieldNames.contains),
      names.contains("srcaddr") || names.contains("action")
    {
      return DelimitedDialect(delimiter: 0x20, label: vpcFlowLabel)
    }
    let flows = sample.filter { isDefaultFlow(bytes, $0) }.count
    guard flows * 5 >= sample.count * 4 else { return nil }
    return DelimitedDialect(
      delimiter: 0x20, hasHeader: false, columnNames: vpcDefaultFields, label: vpcFlowLabel)
  }

  /// Whether `line` is a flow in the default format: version 2, an `eni-` interface (or `-`),
  /// `ACCEPT`/`REJECT`/`-` and `OK`/`NODATA`/`SKIPDATA` in their places.
  static func isDefaultFlow(_ bytes: UnsafeBufferPointer<UInt8>, _ line: ByteSpan) -> Bool {
    let parts = pieces(bytes, line, separator: 0x20)
    guard parts.count == vpcDefaultFields.count else { return false }
    func text(_ index: Int) -> String {
      String(
        decoding: UnsafeBufferPointer(rebasing: bytes[parts[index].start..<parts[index].end]),
        as: UTF8.self)
    }
    let interface = text(2)
    return text(0) == "2" && (interface.hasPrefix("eni-") || interface == "-")
      && ["ACCEPT", "REJECT", "-"].contains(text(12))
      && ["OK", "NODATA", "SKIPDATA"].contains(text(13))
  }
}
