package dev.vigil.operator.logsource;

import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * Age of a queue's oldest message. SQS attributes do not carry it; its CloudWatch metric {@code
 * AWS/SQS ApproximateAgeOfOldestMessage} does (published every minute). Unknown (null) when the
 * metric has no recent datapoint — then scaling follows the backlog alone.
 */
public final class QueueAge {
  private final CloudWatchClient cloudWatch;

  public QueueAge(CloudWatchClient cloudWatch) {
    this.cloudWatch = cloudWatch;
  }

  public Duration oldest(String queueName, Instant now) {
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
