package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.FilterRuleName;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.TopicConfiguration;

class NotificationMergeTest {
  private static final String ID = "vigil-logs-trail";
  private static final QueueConfiguration VIGIL =
      NotificationMerge.desired(ID, "arn:aws:sqs:us-east-1:1:vigil", "AWSLogs/", ".json.gz");

  private static TopicConfiguration foreignTopic(String prefix, String event) {
    return TopicConfiguration.builder()
        .id("billing-team")
        .topicArn("arn:aws:sns:us-east-1:1:billing")
        .eventsWithStrings(event)
        .filter(
            f ->
                f.key(
                    k ->
                        k.filterRules(
                            FilterRule.builder()
                                .name(FilterRuleName.PREFIX)
                                .value(prefix)
                                .build())))
        .build();
  }

  @Test
  void addsVigilsEntryAndKeepsEveryForeignOne() {
    NotificationConfiguration current =
        NotificationConfiguration.builder()
            .topicConfigurations(foreignTopic("billing/", "s3:ObjectCreated:*"))
            .build();
    var change = NotificationMerge.merge(current, VIGIL);
    assertThat(change).isInstanceOf(ConfigChange.Write.class);
    var written = ((ConfigChange.Write<NotificationConfiguration>) change).configuration();
    assertThat(written.topicConfigurations()).isEqualTo(current.topicConfigurations());
    assertThat(written.queueConfigurations()).containsExactly(VIGIL);
  }

  @Test
  void sameEntryAsEchoedByS3IsUnchangedAndAChangedOneIsUpdatedInPlace() {
    // S3 echoes rule names capitalised ("Prefix"), which must still count as the same entry.
    QueueConfiguration echoed =
        VIGIL.toBuilder()
            .filter(
                f ->
                    f.key(
                        k ->
                            k.filterRules(
                                FilterRule.builder().name("Prefix").value("AWSLogs/").build(),
                                FilterRule.builder().name("Suffix").value(".json.gz").build())))
            .build();
    NotificationConfiguration current =
        NotificationConfiguration.builder().queueConfigurations(echoed).build();
    assertThat(NotificationMerge.merge(current, VIGIL)).isInstanceOf(ConfigChange.Unchanged.class);

    QueueConfiguration moved =
        NotificationMerge.desired(ID, "arn:aws:sqs:us-east-1:1:other", "AWSLogs/", ".json.gz");
    var change = NotificationMerge.merge(current, moved);
    assertThat(
            ((ConfigChange.Write<NotificationConfiguration>) change)
                .configuration()
                .queueConfigurations())
        .containsExactly(moved);
  }

  @Test
  void overlappingForeignEntryIsAConflictNotAnOverwrite() {
    NotificationConfiguration current =
        NotificationConfiguration.builder()
            .topicConfigurations(foreignTopic("AWSLogs/123/", "s3:ObjectCreated:Put"))
            .build();
    var change = NotificationMerge.merge(current, VIGIL);
    assertThat(change).isInstanceOf(ConfigChange.Conflict.class);
    assertThat(((ConfigChange.Conflict<?>) change).message())
        .contains("billing-team")
        .contains("AWSLogs/123/*")
        .contains("queueArn");
  }

  @Test
  void disjointPrefixesOrEventsDoNotConflict() {
    assertThat(
            NotificationMerge.merge(
                NotificationConfiguration.builder()
                    .topicConfigurations(foreignTopic("other/", "s3:ObjectCreated:*"))
                    .build(),
                VIGIL))
        .isInstanceOf(ConfigChange.Write.class);
    assertThat(
            NotificationMerge.merge(
                NotificationConfiguration.builder()
                    .topicConfigurations(foreignTopic("AWSLogs/", "s3:ObjectRemoved:*"))
                    .build(),
                VIGIL))
        .isInstanceOf(ConfigChange.Write.class);
  }

  @Test
  void removingTakesOnlyVigilsEntry() {
    NotificationConfiguration current =
        NotificationConfiguration.builder()
            .queueConfigurations(VIGIL)
            .topicConfigurations(foreignTopic("billing/", "s3:ObjectCreated:*"))
            .build();
    var change = NotificationMerge.remove(current, ID);
    var written = ((ConfigChange.Write<NotificationConfiguration>) change).configuration();
    assertThat(written.queueConfigurations()).isEmpty();
    assertThat(written.topicConfigurations()).hasSize(1);
    assertThat(NotificationMerge.remove(written, ID)).isInstanceOf(ConfigChange.Unchanged.class);
  }

  @Test
  void wildcardEventsCoverTheirSpecificEvents() {
    assertThat(
            NotificationMerge.eventsOverlap(
                List.of("s3:ObjectCreated:*"), List.of("s3:ObjectCreated:CompleteMultipartUpload")))
        .isTrue();
    assertThat(
            NotificationMerge.eventsOverlap(
                List.of("s3:ObjectCreated:Put"), List.of("s3:ObjectCreated:Copy")))
        .isFalse();
  }
}
