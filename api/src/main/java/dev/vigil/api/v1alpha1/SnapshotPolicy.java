package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Snapshots of Vigil's indices to a repository on a schedule, with retention, and hot-index
 * retention.
 */
@JsonClassDescription(
    "Snapshots of the Vigil indices to a repository on a schedule with retention, and the retention of hot indices in OpenSearch.")
@Group(Groups.SIEM)
@Version(Groups.VERSION)
@Categories(Groups.CATEGORY)
@ShortNames("snappol")
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".spec.schedule")
@AdditionalPrinterColumn(name = "Ready", jsonPath = Groups.READY_PATH)
@AdditionalPrinterColumn(name = "Last", jsonPath = ".status.lastSnapshot.name")
@AdditionalPrinterColumn(
    type = AdditionalPrinterColumn.Type.INTEGER,
    name = "Kept",
    jsonPath = ".status.snapshotsKept",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = Groups.AGE_PATH)
public class SnapshotPolicy extends CustomResource<SnapshotPolicySpec, SnapshotPolicyStatus>
    implements Namespaced {
  /**
   * Set to a day (YYYY-MM-DD) to restore that day's time-partitioned indices from the policy's
   * newest snapshot holding them, under {@link #RESTORED_PREFIX}.
   */
  public static final String RESTORE_ANNOTATION = Groups.SIEM + "/restore";

  /** Optional, with {@link #RESTORE_ANNOTATION}: comma-separated log types or index patterns. */
  public static final String RESTORE_INDICES_ANNOTATION = Groups.SIEM + "/restore-indices";

  /**
   * Optional: an id for one restore request ({@code vigil restore} sets a fresh one), echoed in
   * {@code status.lastRestore.request}, so the same day can be restored again and the caller knows
   * which answer is its own.
   */
  public static final String RESTORE_REQUEST_ANNOTATION = Groups.SIEM + "/restore-request";

  /** Restored indices get this prefix, so they never collide with live ones. */
  public static final String RESTORED_PREFIX = "restored-";
}
