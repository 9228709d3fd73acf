package io.rspark.operator.plugin;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * {@code spec.suspend} and {@code status.lastActivityTime} in the kit's CRD, for the plugin's tests
 * of resume and idle time: the plugin treats them as untyped fields, and a CRD without them would
 * prune them. Adds them only where the CRD lacks them, and puts the CRD back afterwards.
 */
final class IdleFields {
  private static final String CRD = "rsparkclusters.rspark.io";

  private IdleFields() {}

  /** Returns the CRD as it was if fields were added, else null. */
  static CustomResourceDefinition addIfAbsent(KubernetesClient admin) {
    var crds = admin.apiextensions().v1().customResourceDefinitions();
    CustomResourceDefinition before = crds.withName(CRD).get();
    CustomResourceDefinition changed = crds.withName(CRD).get();
    boolean added = false;
    for (var version : changed.getSpec().getVersions()) {
      Map<String, JSONSchemaProps> props = version.getSchema().getOpenAPIV3Schema().getProperties();
      added |= addIfAbsent(props.get("spec"), "suspend", "boolean");
      added |= addIfAbsent(props.get("status"), "lastActivityTime", "string");
    }
    if (!added) {
      return null;
    }
    crds.resource(changed).update();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                crds.withName(CRD)
                    .get()
                    .getSpec()
                    .getVersions()
                    .get(0)
                    .getSchema()
                    .getOpenAPIV3Schema()
                    .getProperties()
                    .get("spec")
                    .getProperties()
                    .containsKey("suspend"));
    return before;
  }

  private static boolean addIfAbsent(JSONSchemaProps object, String field, String type) {
    if (object.getProperties().containsKey(field)) {
      return false;
    }
    object.getProperties().put(field, new JSONSchemaPropsBuilder().withType(type).build());
    return true;
  }

  static void restore(KubernetesClient admin, CustomResourceDefinition before) {
    if (before == null) {
      return;
    }
    var crds = admin.apiextensions().v1().customResourceDefinitions();
    CustomResourceDefinition current = crds.withName(CRD).get();
    before.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
    crds.resource(before).update();
  }
}
