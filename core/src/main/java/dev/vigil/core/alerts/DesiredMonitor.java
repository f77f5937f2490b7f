package dev.vigil.core.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A monitor as Vigil wants it: the body for {@code POST/PUT _plugins/_alerting/monitors}, with the
 * Vigil marker and the desired-state hash already in its {@code ui_metadata}.
 *
 * @param type query_level_monitor, bucket_level_monitor or doc_level_monitor
 * @param hash {@link dev.vigil.core.DesiredStateHash} of the body without ui_metadata
 */
public record DesiredMonitor(
    String namespace, String rule, String name, String type, ObjectNode body, String hash) {}
