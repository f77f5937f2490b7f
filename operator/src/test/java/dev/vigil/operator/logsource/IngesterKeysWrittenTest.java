package dev.vigil.operator.logsource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.LogReplay;
import dev.vigil.api.v1alpha1.LogSource;
import dev.vigil.api.v1alpha1.OpenSearchConnection;
import dev.vigil.core.ingest.IngesterKeys;
import dev.vigil.operator.OperatorConfig;
import dev.vigil.operator.replay.ReplayPlan;
import dev.vigil.operator.replay.ReplayWorkload;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every key the operator writes into an ingester's configuration is one of {@link IngesterKeys}
 * (which the ingester's {@code IngesterKeysAreMappedTest} proves it reads), and every one of them
 * is written by some LogSource or LogReplay: a typo'd or a new key cannot slip past both tests.
 */
class IngesterKeysWrittenTest {
  private static final String SOURCE =
      """
      apiVersion: siem.vigil.dev/v1alpha1
      kind: LogSource
      metadata: {name: waf, namespace: vigil, uid: 1234}
      spec:
        logType: waf
        s3: {bucket: acme-log-archive, prefix: waf/, suffix: .gz}
        notifications: {mode: Scan, scanInterval: 10m}
        aws: {roleArn: 'arn:aws:iam::123456789012:role/vigil', externalId: x}
        ingester:
          geoIp:
            volume: {persistentVolumeClaim: {claimName: geoip-db}}
            file: GeoLite2-City.mmdb
            cacheSize: 5000
      """;

  private static final String REPLAY =
      """
      apiVersion: siem.vigil.dev/v1alpha1
      kind: LogReplay
      metadata: {name: audit-2024, namespace: vigil, uid: 5678}
      spec:
        logSourceRef: {name: waf}
        from: 2024-01-01
        to: 2024-12-31
        indexPrefix: audit
      """;

  private static final String BASIC =
      """
      apiVersion: siem.vigil.dev/v1alpha1
      kind: OpenSearchConnection
      metadata: {name: os, namespace: vigil}
      spec:
        endpoint: https://search.example:9200
        auth: {type: Basic, basic: {secretName: creds}}
        tls: {caSecretRef: {name: ca, key: ca.crt}}
        indices: {replicas: "1", refreshInterval: 1s}
      """;

  private static final String SIGV4 =
      """
      apiVersion: siem.vigil.dev/v1alpha1
      kind: OpenSearchConnection
      metadata: {name: os, namespace: vigil}
      spec:
        endpoint: https://search.example:9200
        auth: {type: SigV4, sigv4: {region: eu-west-1, service: es}}
      """;

  @Test
  void theOperatorWritesOnlyKeysTheIngesterReadsAndEachOfThem() {
    LogSource source = Serialization.unmarshal(SOURCE, LogSource.class);
    List<String> written = new ArrayList<>();
    for (String connection : List.of(BASIC, SIGV4)) {
      OpenSearchConnection os = Serialization.unmarshal(connection, OpenSearchConnection.class);
      for (String queueUrl : new String[] {"https://sqs/q", null}) {
        written.addAll(
            IngesterWorkload.properties(source, os, queueUrl, "eu-west-1", EMULATED, true)
                .keySet());
      }
      LogReplay replay = Serialization.unmarshal(REPLAY, LogReplay.class);
      written.addAll(
          ReplayWorkload.properties(ReplayPlan.of(replay, source, "eu-west-1"), os, EMULATED)
              .keySet());
    }

    Set<String> known = new TreeSet<>(IngesterKeys.ALL);
    known.add(IngesterKeys.queueUrl(IngesterKeys.QUEUE));
    known.add(IngesterKeys.queueLogType(IngesterKeys.QUEUE));
    assertThat(new TreeSet<>(written)).isEqualTo(known);
  }

  private static final OperatorConfig.Aws EMULATED =
      TestSettings.aws(Optional.of("eu-west-1"), Optional.of("http://127.0.0.1:5000"));
}
