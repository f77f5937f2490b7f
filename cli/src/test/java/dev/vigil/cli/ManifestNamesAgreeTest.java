package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.Dashboard;
import dev.vigil.api.v1alpha1.DetectionRule;
import dev.vigil.api.v1alpha1.Groups;
import dev.vigil.core.dashboards.DashboardDefinition;
import dev.vigil.core.rules.RuleManifest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

/**
 * core reads DetectionRule and Dashboard manifests without depending on api (which pulls the
 * Kubernetes client), so it names the kind itself; this holds it to the CRD model's.
 */
class ManifestNamesAgreeTest {
  @Test
  void coreReadsTheKindsTheApiDeclares() {
    assertThat(RuleManifest.KIND).isEqualTo(HasMetadata.getKind(DetectionRule.class));
    assertThat(DashboardDefinition.KIND).isEqualTo(HasMetadata.getKind(Dashboard.class));
    assertThat(Groups.KINDS).contains(RuleManifest.KIND, DashboardDefinition.KIND);
  }
}
