package io.rspark.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** An R-enabled Spark cluster: one driver pod (Spark master + R bridge) and N worker pods. */
@Group(RSparkCluster.GROUP)
@Version(RSparkCluster.VERSION)
@Kind("RSparkCluster")
@Singular("rsparkcluster")
@Plural("rsparkclusters")
@ShortNames("rsc")
@Categories("rspark")
// kubectl get rsc prints these in this order (CrdGeneration keeps it; the generator would sort
// them).
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".status.workers.desired",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Worker pods asked for by spec.workers.replicas")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.workers.ready",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "Worker pods that are ready")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(
    value =
        "size(self.metadata.name) <= 56 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name must start with a letter, hold only lower-case letters, digits and '-', and"
            + " be at most 56 characters: it names the driver Service <name>-driver")
public class RSparkCluster extends CustomResource<RSparkClusterSpec, RSparkClusterStatus>
    implements Namespaced {
  public static final String GROUP = "rspark.io";
  public static final String VERSION = "v1alpha1";

  @Override
  protected RSparkClusterSpec initSpec() {
    return new RSparkClusterSpec();
  }
}
