package dev.vigil.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The AWS log types Vigil understands; {@link #id()} is the name used in CRDs, index names and the
 * CLI.
 */
public enum LogType {
  CLOUDTRAIL("cloudtrail"),
  CLOUDWATCH("cloudwatch"),
  VPCFLOW("vpcflow"),
  WAF("waf"),
  SECURITYHUB("securityhub"),
  GUARDDUTY("guardduty"),
  S3ACCESS("s3access"),
  ALB("alb"),
  ROUTE53RESOLVER("route53resolver");

  private final String id;

  LogType(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /**
   * Whether documents of this type are findings with a lifecycle (created, updated, resolved or
   * archived), of which the ingester keeps one document per finding in its latest state ({@link
   * dev.vigil.core.parse.IndexNaming#latest}) besides the per-update history.
   */
  public boolean keepsLatestState() {
    return this == SECURITYHUB || this == GUARDDUTY;
  }

  /** Looks a type up by its id, ignoring case; empty for an unknown id. */
  public static Optional<LogType> fromId(String id) {
    String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(t -> t.id.equals(wanted)).findFirst();
  }
}
