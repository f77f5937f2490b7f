package dev.vigil.core.parse;

import dev.vigil.core.parse.types.AlbParser;
import dev.vigil.core.parse.types.CloudTrailParser;
import dev.vigil.core.parse.types.Route53ResolverParser;
import dev.vigil.core.parse.types.S3AccessParser;
import dev.vigil.core.parse.types.VpcFlowParser;
import java.util.List;

/** Every log parser Vigil ships. */
public final class LogParsers {
  private LogParsers() {}

  public static List<LogParser> all() {
    return List.of(
        new CloudTrailParser(),
        new VpcFlowParser(),
        new AlbParser(),
        new S3AccessParser(),
        new Route53ResolverParser());
  }
}
