package dev.vigil.core.parse;

import dev.vigil.core.parse.types.CloudTrailParser;
import dev.vigil.core.parse.types.GuardDutyParser;
import dev.vigil.core.parse.types.SecurityHubParser;
import dev.vigil.core.parse.types.WafParser;
import java.util.List;

/** Every log parser Vigil ships. */
public final class LogParsers {
  private LogParsers() {}

  public static List<LogParser> all() {
    return List.of(
        new CloudTrailParser(), new WafParser(), new SecurityHubParser(), new GuardDutyParser());
  }
}
