package dev.vigil.operator.logsource;

import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * Age of a queue's oldest message. SQS attributes do not carry it; its CloudWatch metric {@code
 * AWS/SQS ApproximateAgeOfOldestMessage} does (published every minute). Unknown (null) when the
 * metric has no recent datapoint — then scaling follows the backlog alone.
 */
public final class QueueAge {
  private static final Logger LOG = Logger.getLogger(QueueAge.class);
  private final CloudWatchClient cloudWatch;

  public QueueAge(CloudWatchClient cloudWatch) {
    this.cloudWatch = cloudWatch;
  }

  public Duration oldest(String queueName, Instant now) {
    try {
      return query(queueName, now);
    } catch (SdkException e) {
      // Only a scaling hint: without it the backlog decides. The failure is counted (and logged).
      LOG.debugf("no queue age for %s: %s", queueName, e.getMessage());
      return null;
    }
  }

  private Duration query(String queueName, Instant now) {
    return cloudWatch
        .getMetricStatistics(
            r ->
                r.namespace("AWS/SQS")
                    .metricName("ApproximateAgeOfOldestMessage")
                    .dimensions(d -> d.name("QueueName").value(queueName))
                    .startTime(now.minus(Duration.ofMinutes(5)))
                    .endTime(now)
                    .period(60)
                    .statistics(Statistic.MAXIMUM))
        .datapoints()
        .stream()
        .max(java.util.Comparator.comparing(Datapoint::timestamp))
        .map(d -> Duration.ofSeconds(d.maximum().longValue()))
        .orElse(null);
  }
}
