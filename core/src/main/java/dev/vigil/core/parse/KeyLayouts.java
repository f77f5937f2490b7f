package dev.vigil.core.parse;

import dev.vigil.core.LogType;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The S3 key layouts AWS log delivery writes, in one place: what a key tells about its log type,
 * account, region and date. Detection, the parsers, replay and scan all read keys through it.
 *
 * <ul>
 *   <li>{@code AWSLogs/[o-org/]<account>/<service>/<region>/YYYY/MM/DD/} (CloudTrail, VPC Flow
 *       Logs, ELB, Route 53 Resolver, WAF, GuardDuty exports) with file names {@code
 *       <account>_<service>_<region>_…_YYYYMMDDTHHmmZ_…}: CloudTrail
 *       (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html),
 *       VPC Flow Logs (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html);
 *   <li>its Hive-compatible form {@code AWSLogs/aws-account-id=<account>/aws-service=<service>/
 *       aws-region=<region>/year=YYYY/month=MM/day=DD/[hour=HH/]} (VPC Flow Logs, same page);
 *   <li>S3 server access logs: {@code <prefix>YYYY-mm-DD-HH-MM-SS-<UniqueString>}, or date-based
 *       partitioned {@code <prefix><source account>/<source region>/<source bucket>/YYYY/MM/DD/…}
 *       (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PartitionedPrefix.html);
 *   <li>Firehose: {@code <prefix>YYYY/MM/DD/HH/<stream>-…}; WAF requires its streams to be named
 *       {@code aws-waf-logs-…}, and Firehose names the objects after the stream.
 * </ul>
 */
public final class KeyLayouts {
  private static final Pattern AWSLOGS =
      Pattern.compile(
          "(?:^|/)AWSLogs/(?:o-[a-z0-9]+/)?(\\d{12})/([A-Za-z0-9_-]+)/"
              + "(?:([^/]+)/(?:(\\d{4})/(\\d{2})/(\\d{2})/)?)?",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern AWSLOGS_HIVE =
      Pattern.compile(
          "(?:^|/)AWSLogs/(?:aws-organization-id=[^/]+/)?aws-account-id=(\\d{12})/"
              + "aws-service=([A-Za-z0-9_-]+)/(?:aws-region=([^/]+)/"
              + "(?:year=(\\d{4})/month=(\\d{2})/day=(\\d{2})/(?:hour=(\\d{2})/)?)?)?",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-\\d{1,2}");
  // The end of the delivery window in a file name: _20180620T1620Z_
  private static final Pattern FILE_TIME =
      Pattern.compile("_(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})Z[_.]");
  private static final Pattern ACCESS_LOG_NAME =
      Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})-\\d{2}-\\d{2}-\\d{2}-[0-9A-Za-z]{16}$");
  private static final Pattern ACCESS_LOG_PARTITIONED =
      Pattern.compile(
          "(?:^|/|[^0-9])(\\d{12})/([a-z]{2}(?:-[a-z]+)+-\\d{1,2})/[^/]+/\\d{4}/\\d\\d/\\d\\d/[^/]+$");
  private static final Pattern DAY_FOLDERS =
      Pattern.compile("(?:^|/)(\\d{4})/(\\d{2})/(\\d{2})(?:/|$)");
  private static final Pattern HIVE_DAY_FOLDERS =
      Pattern.compile("(?:^|/)year=(\\d{4})/month=(\\d{1,2})/day=(\\d{1,2})(?:/|$)");
  private static final Pattern YEAR_FOLDER = Pattern.compile("(19|20)\\d{2}/");
  private static final Pattern DAY_FOLDERS_FIRST = Pattern.compile("\\d{4}/\\d{2}/\\d{2}/.*");

  private KeyLayouts() {}

  /**
   * The {@code AWSLogs/…} part of a key, either form.
   *
   * @param service the service folder as written ({@code CloudTrail}, {@code vpcflowlogs} …)
   * @param regionFolder the folder after the service, or null: a region, or for Route 53 Resolver a
   *     VPC id
   * @param day the {@code YYYY/MM/DD/} folders after it, or null
   * @param hour the Hive-form {@code hour=HH/} folder, or null
   */
  public record AwsLogs(
      String account, String service, String regionFolder, LocalDate day, Integer hour) {
    /** The region folder when it names a region, else null. */
    public String region() {
      return regionFolder != null && REGION.matcher(regionFolder).matches() ? regionFolder : null;
    }
  }

  /** The {@code AWSLogs/} layout of {@code key}, if it has one. */
  public static Optional<AwsLogs> awsLogs(String key) {
    if (key == null) {
      return Optional.empty();
    }
    Matcher m = AWSLOGS.matcher(key);
    boolean hive = false;
    if (!m.find()) {
      m = AWSLOGS_HIVE.matcher(key);
      if (!m.find()) {
        return Optional.empty();
      }
      hive = true;
    }
    LocalDate day = m.group(4) == null ? null : date(m.group(4), m.group(5), m.group(6));
    Integer hour = hive && m.group(7) != null ? Integer.valueOf(m.group(7)) : null;
    return Optional.of(new AwsLogs(m.group(1), m.group(2), m.group(3), day, hour));
  }

  /**
   * The log type the layout of {@code key} names: its {@code AWSLogs} service folder, a Firehose
   * stream named for WAF, or an S3 server access log object name.
   */
  public static Optional<LogType> logType(String key) {
    if (key == null) {
      return Optional.empty();
    }
    Optional<LogType> byService = awsLogs(key).flatMap(a -> service(a.service()));
    if (byService.isPresent()) {
      return byService;
    }
    if (key.toLowerCase(Locale.ROOT).contains("aws-waf-logs-")) {
      return Optional.of(LogType.WAF);
    }
    if (ACCESS_LOG_NAME.matcher(key).find()) {
      return Optional.of(LogType.S3ACCESS);
    }
    return Optional.empty();
  }

  private static Optional<LogType> service(String folder) {
    return Optional.ofNullable(
        switch (folder.toLowerCase(Locale.ROOT)) {
          case "cloudtrail", "cloudtrail-digest", "cloudtrail-insight" -> LogType.CLOUDTRAIL;
          case "vpcflowlogs" -> LogType.VPCFLOW;
          case "elasticloadbalancing" -> LogType.ALB;
          case "vpcdnsquerylogs" -> LogType.ROUTE53RESOLVER;
          case "waflogs" -> LogType.WAF;
          case "guardduty" -> LogType.GUARDDUTY;
          case "securityhub" -> LogType.SECURITYHUB;
          default -> null;
        });
  }

  /** The delivery time in the file name ({@code _YYYYMMDDTHHmmZ_} or before the extension). */
  public static Instant fileTime(String key) {
    Matcher m = FILE_TIME.matcher(name(key));
    if (!m.find()) {
      return null;
    }
    LocalDate day = date(m.group(1), m.group(2), m.group(3));
    int hour = Integer.parseInt(m.group(4));
    int minute = Integer.parseInt(m.group(5));
    if (day == null || hour > 23 || minute > 59) {
      return null;
    }
    return day.atTime(hour, minute).toInstant(ZoneOffset.UTC);
  }

  /**
   * Source account and region of a date-based partitioned S3 server access log key, or null.
   *
   * @return {account, region}
   */
  public static String[] s3AccessSource(String key) {
    Matcher m = ACCESS_LOG_PARTITIONED.matcher(key);
    return m.find() ? new String[] {m.group(1), m.group(2)} : null;
  }

  /**
   * The date a key carries, whatever the service: {@code YYYY/MM/DD/} folders (AWS log delivery,
   * Firehose), Hive {@code year=/month=/day=} folders, else the file name's delivery time or S3
   * server access log name. Impossible dates are skipped.
   */
  public static Optional<LocalDate> date(String key) {
    for (Pattern pattern : new Pattern[] {DAY_FOLDERS, HIVE_DAY_FOLDERS}) {
      Matcher m = pattern.matcher(key);
      while (m.find()) {
        LocalDate date = date(m.group(1), m.group(2), m.group(3));
        if (date != null) {
          return Optional.of(date);
        }
      }
    }
    String name = name(key);
    for (Pattern pattern : new Pattern[] {FILE_TIME, ACCESS_LOG_NAME}) {
      Matcher m = pattern.matcher(name);
      if (m.find()) {
        LocalDate date = date(m.group(1), m.group(2), m.group(3));
        if (date != null) {
          return Optional.of(date);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the keys right under {@code prefix} start with {@code YYYY/MM/DD/} folders, judging by
   * {@code sampleKey} (one key under it): then a date range can be listed day by day.
   */
  public static boolean dayFoldersRightAfter(String prefix, String sampleKey) {
    if (!sampleKey.startsWith(prefix)) {
      return false;
    }
    return DAY_FOLDERS_FIRST.matcher(sampleKey.substring(prefix.length())).matches()
        && (prefix.isEmpty() || prefix.endsWith("/"));
  }

  /**
   * Whether {@code child}, a folder listed under {@code parent}, is a {@code YYYY/} year folder.
   */
  public static boolean isYearFolder(String parent, String child) {
    return child.length() == parent.length() + 5
        && child.startsWith(parent)
        && YEAR_FOLDER.matcher(child.substring(parent.length())).matches();
  }

  private static String name(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  private static LocalDate date(String year, String month, String day) {
    try {
      return LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
    } catch (DateTimeException e) {
      return null;
    }
  }
}
