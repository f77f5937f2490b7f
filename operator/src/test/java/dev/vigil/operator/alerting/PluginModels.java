package dev.vigil.operator.alerting;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opensearch.ExceptionsHelper;
import org.opensearch.OpenSearchException;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.LoggingDeprecationHandler;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.commons.alerting.model.BucketLevelTrigger;
import org.opensearch.commons.alerting.model.ClusterMetricsInput;
import org.opensearch.commons.alerting.model.DataSources;
import org.opensearch.commons.alerting.model.DocLevelMonitorInput;
import org.opensearch.commons.alerting.model.DocLevelQuery;
import org.opensearch.commons.alerting.model.DocumentLevelTrigger;
import org.opensearch.commons.alerting.model.Input;
import org.opensearch.commons.alerting.model.Monitor;
import org.opensearch.commons.alerting.model.QueryLevelTrigger;
import org.opensearch.commons.alerting.model.ScheduledJob;
import org.opensearch.commons.alerting.model.SearchInput;
import org.opensearch.commons.alerting.model.Trigger;
import org.opensearch.commons.alerting.model.action.Action;
import org.opensearch.commons.alerting.util.AlertingException;
import org.opensearch.commons.alerting.util.IndexUtilsKt;
import org.opensearch.commons.notifications.action.CreateNotificationConfigRequest;
import org.opensearch.commons.notifications.action.UpdateNotificationConfigRequest;
import org.opensearch.commons.notifications.model.Chime;
import org.opensearch.commons.notifications.model.MicrosoftTeams;
import org.opensearch.commons.notifications.model.NotificationConfig;
import org.opensearch.commons.notifications.model.Slack;
import org.opensearch.commons.utils.ValidationHelpersKt;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.core.xcontent.XContentParserUtils;
import org.opensearch.search.SearchModule;
import org.opensearch.search.builder.SearchSourceBuilder;

/**
 * The Alerting and Notifications plugins' own request models ({@code org.opensearch:common-utils},
 * the version the plugins of OpenSearch 2.19.4 are built with), used the way the plugins' handlers
 * use them, so {@link AlertingContractServer} accepts, refuses and re-serializes exactly what the
 * plugins would.
 *
 * <p>Parsing: the same entry points as the REST handlers ({@code RestIndexMonitorAction}: {@code
 * Monitor.parse(parser, id)}; {@code NotificationConfigRestHandler}: {@code
 * CreateNotificationConfigRequest.parse} / {@code UpdateNotificationConfigRequest.parse}; {@code
 * RestSearchMonitorAction}: {@code SearchSourceBuilder.parseXContent}) on a registry holding {@link
 * SearchModule}'s named x-contents (queries, aggregations: a monitor's search is parsed by
 * OpenSearch's own query parsers) plus the models' {@code XCONTENT_REGISTRY} entries, as the
 * Alerting plugin registers them.
 *
 * <p>Checks the plugins make beyond the models, mirrored from their sources
 * (opensearch-project/alerting {@code RestIndexMonitorAction}, {@code TransportIndexMonitorAction};
 * opensearch-project/notifications {@code ConfigIndexingActions}): see {@link
 * #restChecks(Monitor)}, {@link #transportChecks(Monitor)} and {@link
 * #notificationChecks(NotificationConfig)}.
 */
final class PluginModels {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** plugins.alerting.action_throttle_max_value (default 24h) and the fixed minimum (1m). */
  static final Duration MAX_THROTTLE = Duration.ofHours(24);

  static final Duration MIN_THROTTLE = Duration.ofMinutes(1);

  static final NamedXContentRegistry REGISTRY = registry();

  private PluginModels() {}

  private static NamedXContentRegistry registry() {
    List<NamedXContentRegistry.Entry> entries =
        new ArrayList<>(new SearchModule(Settings.EMPTY, List.of()).getNamedXContents());
    entries.add(Monitor.Companion.getXCONTENT_REGISTRY());
    entries.add(SearchInput.Companion.getXCONTENT_REGISTRY());
    entries.add(DocLevelMonitorInput.Companion.getXCONTENT_REGISTRY());
    entries.add(ClusterMetricsInput.Companion.getXCONTENT_REGISTRY());
    entries.add(QueryLevelTrigger.Companion.getXCONTENT_REGISTRY());
    entries.add(BucketLevelTrigger.Companion.getXCONTENT_REGISTRY());
    entries.add(DocumentLevelTrigger.Companion.getXCONTENT_REGISTRY());
    return new NamedXContentRegistry(entries);
  }

  static XContentParser parser(byte[] body) throws IOException {
    return JsonXContent.jsonXContent.createParser(
        REGISTRY, LoggingDeprecationHandler.INSTANCE, body);
  }

  /**
   * A monitor create/update body as the Alerting plugin takes it: parsed by {@code Monitor.parse},
   * then the handler's and the transport action's checks; failures wrapped by {@code
   * AlertingException.wrap} as the plugin wraps them.
   *
   * @param id {@link Monitor#NO_ID} for a create
   */
  static Monitor monitor(byte[] body, String id) throws Exception {
    XContentParser parser = parser(body);
    XContentParserUtils.ensureExpectedToken(
        XContentParser.Token.START_OBJECT, parser.nextToken(), parser);
    try {
      Monitor monitor = Monitor.parse(parser, id);
      restChecks(monitor);
      transportChecks(monitor);
      return monitor;
    } catch (Exception e) {
      throw AlertingException.wrap(e);
    }
  }

  /** RestIndexMonitorAction: no custom data sources; trigger kinds that fit the monitor type. */
  static void restChecks(Monitor monitor) {
    DataSources sources = monitor.getDataSources();
    if (sources != null
        && (!ScheduledJob.DOC_LEVEL_QUERIES_INDEX.equals(sources.getQueryIndex())
            || !".opensearch-alerting-finding-history-write".equals(sources.getFindingsIndex())
            || !".opendistro-alerting-alerts".equals(sources.getAlertsIndex()))) {
      throw new IllegalArgumentException("Custom Data Sources are not allowed.");
    }
    if (!IndexUtilsKt.isMonitorOfStandardType(monitor)) {
      return;
    }
    Monitor.MonitorType type =
        Monitor.MonitorType.valueOf(monitor.getMonitorType().toUpperCase(Locale.ROOT));
    Class<? extends Trigger> expected =
        switch (type) {
          case BUCKET_LEVEL_MONITOR -> BucketLevelTrigger.class;
          case DOC_LEVEL_MONITOR -> DocumentLevelTrigger.class;
          default -> QueryLevelTrigger.class;
        };
    if (type == Monitor.MonitorType.DOC_LEVEL_MONITOR) {
      for (Input input : monitor.getInputs()) {
        if (input instanceof DocLevelMonitorInput docLevel) {
          for (DocLevelQuery query : docLevel.getQueries()) {
            if (!ValidationHelpersKt.isValidName(query.getName())) {
              throw new IllegalArgumentException(
                  "Doc level query name may not start with [_, +, -], contain '..', or contain: "
                      + ValidationHelpersKt.getInvalidNameChars().replace("\\", ""));
            }
          }
        }
      }
    }
    for (Trigger trigger : monitor.getTriggers()) {
      if (!expected.isInstance(trigger)) {
        throw new IllegalArgumentException(
            "Illegal trigger type, "
                + trigger.getClass().getName()
                + ", for "
                + type.getValue().replace("_monitor", "").replace('_', ' ')
                + " monitor");
      }
    }
  }

  /** TransportIndexMonitorAction.validateActionThrottle, with the default settings. */
  static void transportChecks(Monitor monitor) {
    for (Trigger trigger : monitor.getTriggers()) {
      for (Action action : trigger.getActions()) {
        if (action.getThrottle() == null) {
          continue;
        }
        Duration throttle =
            Duration.of(action.getThrottle().getValue(), action.getThrottle().getUnit());
        if (throttle.compareTo(MAX_THROTTLE) > 0) {
          throw new IllegalArgumentException(
              "Can only set throttle period less than or equal to 1d");
        }
        if (throttle.compareTo(MIN_THROTTLE) < 0) {
          throw new IllegalArgumentException(
              "Can only set throttle period greater than or equal to 1m");
        }
      }
    }
  }

  /** A search body as RestSearchMonitorAction takes it. */
  static SearchSourceBuilder search(byte[] body) throws IOException {
    SearchSourceBuilder source = new SearchSourceBuilder();
    source.parseXContent(parser(body));
    return source;
  }

  /** POST _plugins/_notifications/configs, as NotificationConfigRestHandler parses it. */
  static CreateNotificationConfigRequest createConfig(byte[] body) throws IOException {
    XContentParser parser = parser(body);
    parser.nextToken();
    CreateNotificationConfigRequest request =
        CreateNotificationConfigRequest.Companion.parse(parser, null);
    notificationChecks(request.getNotificationConfig());
    return request;
  }

  /** PUT _plugins/_notifications/configs/{id}. */
  static UpdateNotificationConfigRequest updateConfig(byte[] body, String id) throws IOException {
    XContentParser parser = parser(body);
    parser.nextToken();
    UpdateNotificationConfigRequest request =
        UpdateNotificationConfigRequest.Companion.parse(parser, id);
    notificationChecks(request.getNotificationConfig());
    return request;
  }

  /**
   * ConfigIndexingActions.validateConfig (the type-specific URL checks; an email channel's account
   * is checked by the server, which knows the stored configs).
   */
  static void notificationChecks(NotificationConfig config) {
    Object data = config.getConfigData();
    String url =
        data instanceof Slack slack
            ? slack.getUrl()
            : data instanceof Chime chime
                ? chime.getUrl()
                : data instanceof MicrosoftTeams teams ? teams.getUrl() : "";
    switch (config.getConfigType()) {
      case NONE ->
          throw new org.opensearch.OpenSearchStatusException(
              "NotificationConfig with type NONE is not acceptable",
              org.opensearch.core.rest.RestStatus.NOT_ACCEPTABLE);
      case SLACK -> {
        if (!url.matches(".*https://hooks\\.(?:gov-)?slack\\.com/services.*")) {
          throw new IllegalArgumentException(
              "Wrong Slack url. Should contain \"hooks.slack.com/services/\" or"
                  + " \"hooks.gov-slack.com/services/\"");
        }
      }
      case CHIME -> {
        if (!url.matches(".*https://hooks\\.chime\\.aws/incomingwebhooks/.*\\?token=.*")) {
          throw new IllegalArgumentException(
              "Wrong Chime url. Should contain \"hooks.chime.aws/incomingwebhooks/\" and"
                  + " \"?token=\"");
        }
      }
      case MICROSOFT_TEAMS -> {
        if (!url.matches(".*https://.*\\.webhook\\.office\\.com.*")) {
          throw new IllegalArgumentException(
              "Wrong Microsoft Teams url. Should contain \"webhook.office.com\"");
        }
      }
      default -> {}
    }
  }

  /** A model object as the plugin writes it in a response ({@code toXContent}, EMPTY_PARAMS). */
  static ObjectNode json(ToXContent model) {
    try {
      XContentBuilder builder = XContentFactory.jsonBuilder();
      if (model instanceof ToXContentObject || model.isFragment() == false) {
        model.toXContent(builder, ToXContent.EMPTY_PARAMS);
      } else {
        builder.startObject();
        model.toXContent(builder, ToXContent.EMPTY_PARAMS);
        builder.endObject();
      }
      return (ObjectNode) JSON.readTree(BytesReference.bytes(builder).utf8ToString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The HTTP status OpenSearch's RestController answers a failure with. */
  static int status(Exception e) {
    return ExceptionsHelper.status(e).getStatus();
  }

  /** The error body OpenSearch writes (BytesRestResponse, detailed errors as by default). */
  static ObjectNode error(Exception e) {
    try {
      XContentBuilder builder = XContentFactory.jsonBuilder();
      builder.startObject();
      OpenSearchException.generateFailureXContent(builder, ToXContent.EMPTY_PARAMS, e, true);
      builder.field("status", status(e));
      builder.endObject();
      return (ObjectNode) JSON.readTree(BytesReference.bytes(builder).utf8ToString());
    } catch (IOException io) {
      throw new UncheckedIOException(io);
    }
  }
}
