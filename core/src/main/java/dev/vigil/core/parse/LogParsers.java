package dev.vigil.core.parse;

import dev.vigil.core.parse.types.AlbParser;
import dev.vigil.core.parse.types.CloudTrailParser;
import dev.vigil.core.parse.types.CloudWatchLogsParser;
import dev.vigil.core.parse.types.GuardDutyParser;
import dev.vigil.core.parse.types.Route53ResolverParser;
import dev.vigil.core.parse.types.S3AccessParser;
import dev.vigil.core.parse.types.SecurityHubParser;
import dev.vigil.core.parse.types.VpcFlowParser;
import dev.vigil.core.parse.types.WafParser;
import java.util.ArrayList;
import java.util.List;

/** Every log parser Vigil ships. */
public final class LogParsers {
  private LogParsers() {}

  public static List<LogParser> all() {
    List<LogParser> parsers =
        new ArrayList<>(
            List.of(
                new CloudTrailParser(),
                new VpcFlowParser(),
                new AlbParser(),
                new S3AccessParser(),
                new Route53ResolverParser(),
                new WafParser(),
                new SecurityHubParser(),
                new GuardDutyParser()));
    // CloudWatch Logs messages holding JSON of the types above are handed to their parsers.
    parsers.add(new CloudWatchLogsParser(List.copyOf(parsers)));
    return List.copyOf(parsers);
  }
}
