package dev.vigil.core.parse.types;

/**
 * The parts of an ARN, {@code arn:partition:service:region:account:resource}; region and account
 * may be empty.
 */
record Arn(String partition, String service, String region, String account, String resource) {
  /** The parsed ARN, or null when {@code text} is not one. */
  static Arn parse(String text) {
    if (text == null || !text.startsWith("arn:")) {
      return null;
    }
    String[] parts = text.split(":", 6);
    if (parts.length < 6) {
      return null;
    }
    return new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]);
  }

  /** The region, or null when the ARN has none. */
  String regionOrNull() {
    return region.isEmpty() ? null : region;
  }

  /** The account id, or null when the ARN has none. */
  String accountOrNull() {
    return account.isEmpty() ? null : account;
  }
}
