package dev.vigil.core.parse;

import dev.vigil.core.LogType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared sample files of each log type (paths under ../shared/testdata), for tests that run
 * them all.
 */
final class Samples {
  private Samples() {}

  static final Map<LogType, List<String>> BY_TYPE = new LinkedHashMap<>();

  static {
    BY_TYPE.put(
        LogType.CLOUDTRAIL,
        List.of(
            "centralized-logging-with-opensearch/cloudtrail/cloudtrail.log",
            "otrf-security-datasets/cloudtrail/ec2_proxy_s3_exfiltration_2020-09-14011940.json",
            "opensearch-catalog/cloudtrail/raw-sample.json"));
  }
}
