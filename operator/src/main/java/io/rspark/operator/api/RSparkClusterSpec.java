package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the user asks for. Every field is described so that {@code kubectl explain} teaches it. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(
    value = "!has(self.executors) || (has(self.scheduler) && self.scheduler == 'kubernetes')",
    message = "executors is only used with scheduler: kubernetes (standalone mode sizes workers)")
@ValidationRule(
    value =
        "!has(self.scheduler) || self.scheduler != 'kubernetes' || !has(self.workers)"
            + " || !has(self.workers.replicas) || self.workers.replicas == 0",
    message =
        "with scheduler: kubernetes Spark creates executor pods itself: workers.replicas must be 0"
            + " (size them with executors)")
@ValidationRule(
    value =
        "!has(self.scheduler) || self.scheduler != 'kubernetes' || !has(self.workers)"
            + " || !has(self.workers.autoscaling)",
    message = RSparkClusterSpec.KUBERNETES_AUTOSCALING_MESSAGE)
@ValidationRule(
    value = "!has(self.image) || has(self.sparkVersion)",
    message = RSparkClusterSpec.IMAGE_NEEDS_SPARK_VERSION)
public class RSparkClusterSpec {
  /**
   * A key spark-defaults.conf (read as Java properties) keeps whole, as CEL on {@code k}: no
   * whitespace, '=', ':' or backslash.
   */
  private static final String SAFE_SPARK_KEY = "k.matches('^[^\\\\s=:\\\\\\\\]+$')";

  private static final String SAFE_SPARK_KEY_TEXT =
      "must not contain whitespace, '=', ':' or '\\' (spark-defaults.conf is read as Java"
          + " properties)";

  /** The same text inside a CEL string literal, where a backslash is written twice. */
  private static final String SAFE_SPARK_KEY_TEXT_IN_CEL =
      "must not contain whitespace, '=', ':' or '\\\\' (spark-defaults.conf is read as Java"
          + " properties)";

  /**
   * An image is built for one Spark line; without the line the operator would pick its default
   * line's Scala version and configuration for it, and a mismatch fails only when Spark starts.
   */
  public static final String IMAGE_NEEDS_SPARK_VERSION =
      "spec.image needs spec.sparkVersion: the Spark line of that image, 3.5 or 4.2";

  public static final String KUBERNETES_AUTOSCALING_MESSAGE =
      "with scheduler: kubernetes workers.autoscaling is not used: Spark's dynamic allocation"
          + " scales executor pods between executors.minExecutors and executors.maxExecutors";

  @JsonPropertyDescription(
      "Who starts Spark executors: 'standalone' (default) runs a Spark master in the driver pod and"
          + " spec.workers.replicas worker pods; 'kubernetes' lets Spark's Kubernetes backend create"
          + " executor pods as work arrives and delete them when idle (spec.executors). Fixed at"
          + " creation: to switch, create a new cluster.")
  @Default("standalone")
  @ValidationRule(
      value = "self == oldSelf",
      message = "scheduler cannot change on an existing cluster; create a new cluster instead")
  public Scheduler scheduler;

  @JsonPropertyDescription(
      "With scheduler: kubernetes, the executor pods Spark creates: how many and how big, and when"
          + " an idle one goes.")
  public ExecutorsSpec executors;

  @JsonPropertyDescription(SparkVersion.DESCRIPTION)
  public SparkVersion sparkVersion;

  @JsonPropertyDescription(
      "Container image of the driver and the workers: R, SparkR, sparklyr and the rspark entrypoint"
          + " (images/r-executor), built for the line in spec.sparkVersion, which must be set with"
          + " it. Defaults to the operator's configured image of the cluster's line.")
  @Pattern(Patterns.IMAGE)
  @Size(max = 512)
  public String image;

  @JsonPropertyDescription(
      "When the kubelet pulls the image: Always, IfNotPresent or Never. Defaults to IfNotPresent.")
  public ImagePullPolicy imagePullPolicy;

  @JsonPropertyDescription("Secrets in this namespace used to pull the image.")
  @Size(max = 16)
  public List<LocalObjectReference> imagePullSecrets = new ArrayList<>();

  @JsonPropertyDescription("The driver pod: Spark master, the R bridge and the R sessions.")
  public DriverSpec driver = new DriverSpec();

  @JsonPropertyDescription("The worker pods that run Spark executors and R on the executors.")
  public WorkersSpec workers = new WorkersSpec();

  @JsonPropertyDescription(
      "Remove the cluster's pods after this many idle minutes; unset: never. See docs/lifecycle.md.")
  public AutoTerminationSpec autoTermination;

  @JsonPropertyDescription(
      "true removes the driver and worker pods and keeps everything else (Secret, ConfigMap,"
          + " Service, NetworkPolicy, this resource); false brings the pods back. Running Spark"
          + " jobs and R sessions end.")
  public boolean suspend;

  @JsonPropertyDescription("R packages of the cluster and where to install them from.")
  public RSpec r = new RSpec();

  @JsonPropertyDescription(
      "Network access to the driver beyond kubectl port-forward. Default: none.")
  public AccessSpec access;

  @JsonPropertyDescription(
      "Spark Connect on the driver, for PySpark, pysparklyr and other Spark Connect clients."
          + " Default: off.")
  public ConnectSpec connect;

  @JsonPropertyDescription(
      "Spark properties written to spark-defaults.conf on every pod, over the operator's defaults."
          + " Keys start with 'spark.'; keys the operator owns (master, authentication, R launcher,"
          + " driver address, ports) are refused.")
  @Size(max = 256)
  @ValidationRule(
      value = "self.all(k, k.startsWith('spark.'))",
      message = "sparkConf keys must start with 'spark.'",
      messageExpression =
          "\"sparkConf key '\" + self.filter(k, !k.startsWith('spark.'))[0]"
              + " + \"' must start with 'spark.'\"")
  @ValidationRule(
      value = "self.all(k, " + SAFE_SPARK_KEY + ")",
      message = "sparkConf keys " + SAFE_SPARK_KEY_TEXT,
      messageExpression =
          "\"sparkConf key '\" + self.filter(k, !"
              + SAFE_SPARK_KEY
              + ")[0] + \"' "
              + SAFE_SPARK_KEY_TEXT_IN_CEL
              + "\"")
  @ValidationRule(
      value = OperatorOwnedSparkConf.CEL_RULE,
      message = OperatorOwnedSparkConf.CEL_MESSAGE,
      messageExpression = OperatorOwnedSparkConf.CEL_MESSAGE_EXPRESSION)
  public Map<String, String> sparkConf = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Extra environment variables of the driver and worker containers: a list of Kubernetes"
          + " EnvVars, as in a container's env (see `kubectl explain pod.spec.containers.env`)."
          + " Names starting with RSPARK_ are reserved for the operator. Use valueFrom.secretKeyRef"
          + " for credentials.")
  @Size(max = 128)
  // EnvVar's schema cannot mark name required, so a nameless entry gets its own rule rather than
  // an evaluation error ("no such key: name") from the second.
  @ValidationRule(
      value = "self.all(e, has(e.name) && e.name != '')",
      message = "every env entry needs a name")
  @ValidationRule(
      value = "self.all(e, !has(e.name) || !e.name.startsWith('RSPARK_'))",
      message = "env names starting with RSPARK_ are reserved for the operator")
  public List<EnvVar> env = new ArrayList<>();

  @JsonPropertyDescription("Node labels a pod's node must have (pod.spec.nodeSelector).")
  @Size(max = 64)
  public Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Taints the pods tolerate: a list of Kubernetes Tolerations, as in pod.spec.tolerations (see"
          + " `kubectl explain pod.spec.tolerations`).")
  @Size(max = 64)
  public List<Toleration> tolerations = new ArrayList<>();

  @JsonPropertyDescription(
      "Node and pod (anti-)affinity of the pods: a Kubernetes Affinity, as in pod.spec.affinity (see"
          + " `kubectl explain pod.spec.affinity`).")
  public Affinity affinity;

  @JsonPropertyDescription("PriorityClass of the pods.")
  @Pattern(Patterns.DNS_SUBDOMAIN)
  @Size(max = 253)
  public String priorityClassName;

  @JsonPropertyDescription(
      "Extra labels on every pod. Keys under rspark.io/ and app.kubernetes.io/ are reserved.")
  @Size(max = 64)
  @ValidationRule(
      value = "self.all(k, !k.startsWith('rspark.io/') && !k.startsWith('app.kubernetes.io/'))",
      message =
          "podLabels keys under rspark.io/ and app.kubernetes.io/ are reserved for the operator",
      messageExpression =
          "\"podLabels key '\" + self.filter(k, k.startsWith('rspark.io/')"
              + " || k.startsWith('app.kubernetes.io/'))[0] + \"' is reserved for the operator"
              + " (keys under rspark.io/ and app.kubernetes.io/ are)\"")
  public Map<String, String> podLabels = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Extra annotations on every pod. Keys under rspark.io/ are reserved for the operator.")
  @Size(max = 64)
  @ValidationRule(
      value = "self.all(k, !k.startsWith('rspark.io/'))",
      message = "podAnnotations keys under rspark.io/ are reserved for the operator",
      messageExpression =
          "\"podAnnotations key '\" + self.filter(k, k.startsWith('rspark.io/'))[0]"
              + " + \"' is reserved for the operator (keys under rspark.io/ are)\"")
  public Map<String, String> podAnnotations = new LinkedHashMap<>();
}
