package dev.vigil.operator.logsource;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.SubscriptionFilter;

/**
 * Subscribes every log group matching the LogSource's patterns to its destination — the seed's
 * "log-subscribing" Lambda, replaced by reconciliation: each pass lists the groups again, so groups
 * created since the last pass are subscribed too. A group that already has the two subscription
 * filters AWS allows (none of them Vigil's) is reported, never clobbered.
 */
public final class LogGroupSubscriptions {
  /** CloudWatch Logs allows this many subscription filters per log group. */
  static final int MAX_FILTERS_PER_GROUP = 2;

  private final CloudWatchLogsClient logs;

  public LogGroupSubscriptions(CloudWatchLogsClient logs) {
    this.logs = logs;
  }

  /** Subscribed groups, and the groups that could not be (with why). */
  public record Result(List<String> subscribed, List<String> skipped) {}

  public Result ensure(
      List<String> patterns,
      String filterName,
      String filterPattern,
      String destinationArn,
      String roleArn) {
    return ensureGroups(
        matchingGroups(patterns), filterName, filterPattern, destinationArn, roleArn);
  }

  /**
   * {@link #ensure} for the named groups only: one DescribeSubscriptionFilters each, and a
   * PutSubscriptionFilter where Vigil's filter is missing or differs.
   */
  public Result ensureGroups(
      List<String> groups,
      String filterName,
      String filterPattern,
      String destinationArn,
      String roleArn) {
    List<String> subscribed = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String group : groups) {
      List<SubscriptionFilter> filters =
          logs
              .describeSubscriptionFiltersPaginator(r -> r.logGroupName(group))
              .subscriptionFilters()
              .stream()
              .toList();
      SubscriptionFilter mine =
          filters.stream().filter(f -> filterName.equals(f.filterName())).findFirst().orElse(null);
      if (mine == null && filters.size() >= MAX_FILTERS_PER_GROUP) {
        skipped.add(
            group
                + " (already has "
                + filters.size()
                + " subscription filters: "
                + filters.stream().map(SubscriptionFilter::filterName).toList()
                + ")");
        continue;
      }
      if (mine == null
          || !destinationArn.equals(mine.destinationArn())
          || !filterPattern.equals(mine.filterPattern() == null ? "" : mine.filterPattern())) {
        logs.putSubscriptionFilter(
            r -> {
              r.logGroupName(group)
                  .filterName(filterName)
                  .filterPattern(filterPattern)
                  .destinationArn(destinationArn);
              if (roleArn != null) {
                r.roleArn(roleArn);
              }
            });
      }
      subscribed.add(group);
    }
    return new Result(subscribed, skipped);
  }

  /** Removes Vigil's filter from every group that has it; other filters stay. */
  public void remove(List<String> patterns, String filterName) {
    for (String group : matchingGroups(patterns)) {
      try {
        logs.deleteSubscriptionFilter(r -> r.logGroupName(group).filterName(filterName));
      } catch (ResourceNotFoundException gone) {
        // not subscribed (or already removed)
      }
    }
  }

  /** The groups matching the patterns, in listing order: DescribeLogGroups, 50 groups a page. */
  public List<String> matchingGroups(List<String> patterns) {
    List<Pattern> regexes = patterns.stream().map(LogGroupSubscriptions::glob).toList();
    List<String> out = new ArrayList<>();
    for (String prefix : listingPrefixes(patterns)) {
      logs
          .describeLogGroupsPaginator(r -> r.logGroupNamePrefix(prefix.isEmpty() ? null : prefix))
          .logGroups()
          .stream()
          .map(LogGroup::logGroupName)
          .filter(name -> regexes.stream().anyMatch(p -> p.matcher(name).matches()))
          .filter(name -> !out.contains(name))
          .forEach(out::add);
    }
    return out;
  }

  /** The literal heads of the patterns, so listing stays narrow in accounts with many groups. */
  private static List<String> listingPrefixes(List<String> patterns) {
    List<String> heads = new ArrayList<>();
    for (String p : patterns) {
      int star = p.indexOf('*');
      String head = star < 0 ? p : p.substring(0, star);
      if (heads.stream().noneMatch(head::startsWith)) {
        heads.removeIf(h -> h.startsWith(head));
        heads.add(head);
      }
    }
    return heads;
  }

  /** {@code *} matches any run of characters; everything else is literal. */
  static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (regex.length() > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }
}
