package io.rspark.operator.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.rspark.operator.api.RSparkClusterSpec;
import io.rspark.operator.spark.ContainerSizing;
import io.rspark.operator.spark.PodContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Driver and worker pods as the r-executor image expects them ({@link PodContract}). Every pod
 * meets the Pod Security Standards "restricted" profile and gets no service-account token. The pod
 * carries the digest of its own rendering ({@link SpecHash}) and of the Spark configuration, so a
 * change of either replaces it.
 */
public final class PodFactory {
  public static final String CONFIG_HASH_ANNOTATION = "rspark.io/config-hash";
  public static final String AUTH_SECRET_UID_ANNOTATION = "rspark.io/auth-secret-uid";

  private static final String AUTH_VOLUME = "spark-auth";
  private static final String CONFIG_VOLUME = "spark-config";
  private static final String RUNTIME_CONF_VOLUME = "runtime-conf";
  private static final String WORK_VOLUME = "work";
  private static final String TMP_VOLUME = "tmp";
  private static final String R_LIBRARY_VOLUME = "r-library";
  private static final String EXECUTOR_TEMPLATE_VOLUME = "executor-template";

  private PodFactory() {}

  /**
   * The driver pod. {@code authSecretUid} ties the pod to the Secret it mounts: a recreated Secret
   * (new value) replaces the pods.
   */
  public static Pod driver(ClusterModel model, String authSecretUid) {
    List<ContainerPort> ports = new ArrayList<>();
    if (model.workers() > 0) {
      ports.add(port("spark-master", PodContract.MASTER_PORT));
      ports.add(port("master-ui", PodContract.MASTER_UI_PORT));
    }
    if (model.kubernetesScheduler()) {
      ports.add(port("driver-rpc", PodContract.DRIVER_RPC_PORT));
      ports.add(port("block-manager", PodContract.DRIVER_BLOCK_PORT));
    }
    ports.add(port("app-ui", PodContract.APP_UI_PORT));
    ports.add(port("sparklyr", PodContract.SPARKLYR_GATEWAY_PORT));
    ports.add(port("sparkr", PodContract.SPARKR_BACKEND_PORT));
    ports.add(port("bridge-health", PodContract.BRIDGE_HEALTH_PORT));
    List<EnvVar> driverEnv = new ArrayList<>();
    String bridgeAddress = model.clientAccess() ? PodContract.ANY_ADDRESS : PodContract.LOOPBACK;
    driverEnv.add(env(PodContract.ENV_BRIDGE_ADDRESS, bridgeAddress));
    driverEnv.add(
        env(PodContract.ENV_SPARKLYR_SESSIONS, Integer.toString(model.sparklyrSessions())));
    if (model.connect()) {
      ports.add(port("spark-connect", PodContract.CONNECT_PORT));
      driverEnv.add(env(PodContract.ENV_CONNECT_PORT, Integer.toString(PodContract.CONNECT_PORT)));
    }
    Probe readiness = httpProbe(PodContract.READY_PATH, PodContract.BRIDGE_HEALTH_PORT);
    Pod pod =
        pod(
            model,
            ResourceNames.driverPod(model.cluster()),
            Role.DRIVER,
            model.driverSizing(),
            ports,
            readiness,
            driverEnv,
            authSecretUid);
    if (model.kubernetesScheduler()) {
      // Only the driver talks to the API server, as its own ServiceAccount (DriverPermissions);
      // it reads the executor pod template from the ConfigMap.
      pod.getSpec().setServiceAccountName(ResourceNames.driverServiceAccount(model.cluster()));
      pod.getSpec().setAutomountServiceAccountToken(true);
      pod.getSpec()
          .getVolumes()
          .add(
              new VolumeBuilder()
                  .withName(EXECUTOR_TEMPLATE_VOLUME)
                  .withNewConfigMap()
                  .withName(ResourceNames.executorTemplate(model.cluster()))
                  .withDefaultMode(0444)
                  .endConfigMap()
                  .build());
      pod.getSpec()
          .getContainers()
          .get(0)
          .getVolumeMounts()
          .add(mount(EXECUTOR_TEMPLATE_VOLUME, PodContract.EXECUTOR_TEMPLATE_DIR, true));
    }
    return SpecHash.stamp(pod);
  }

  /**
   * The executor pod template of a {@code scheduler: kubernetes} cluster, built as the worker pod
   * is: Spark's Kubernetes backend adds name, owner (the driver pod), Spark's labels, its
   * environment, ports and resources, and the container's only argument, {@code executor}. It has
   * no readiness probe (nothing in an executor serves HTTP) and no SPARK_LOCAL_DIRS: Spark sets
   * that itself, and a second value would only be shadowed.
   */
  public static Pod executorTemplate(ClusterModel model) {
    RSparkClusterSpec spec = model.cluster().getSpec();
    Pod pod =
        pod(
            model,
            "template",
            Role.EXECUTOR,
            model.executorSizing(),
            List.of(),
            null,
            List.of(),
            "");
    Map<String, String> labels = new LinkedHashMap<>(spec.podLabels);
    labels.putAll(Labels.forRole(model.cluster(), Role.EXECUTOR));
    pod.setMetadata(
        new ObjectMetaBuilder()
            .withLabels(labels)
            .withAnnotations(spec.podAnnotations.isEmpty() ? null : spec.podAnnotations)
            .build());
    pod.getSpec().setRestartPolicy("Never");
    Container container = pod.getSpec().getContainers().get(0);
    container.setPorts(List.of());
    // Spark appends the role argument itself; one from the template would make it [executor,
    // executor] (KubernetesBackendIT).
    container.setArgs(List.of());
    container.setEnv(
        container.getEnv().stream()
            .filter(e -> !e.getName().equals(PodContract.ENV_SPARK_LOCAL_DIRS))
            .toList());
    return pod;
  }

  public static Pod worker(ClusterModel model, int ordinal, String authSecretUid) {
    List<ContainerPort> ports =
        List.of(
            port("worker", PodContract.WORKER_PORT), port("worker-ui", PodContract.WORKER_UI_PORT));
    ContainerSizing sizing = model.workerSizing();
    List<EnvVar> workerEnv =
        List.of(
            env(PodContract.ENV_SPARK_WORKER_CORES, Integer.toString(sizing.sparkCores())),
            env(PodContract.ENV_SPARK_WORKER_MEMORY, sizing.executorMemoryMib() + "m"),
            env(PodContract.ENV_SPARK_WORKER_DIR, PodContract.WORK_DIR + "/worker"),
            env(
                PodContract.ENV_DECOMMISSION_SECONDS,
                Long.toString(PodContract.WORKER_DECOMMISSION_SECONDS)));
    return SpecHash.stamp(
        pod(
            model,
            ResourceNames.workerPod(model.cluster(), ordinal),
            Role.WORKER,
            sizing,
            ports,
            httpProbe("/", PodContract.WORKER_UI_PORT),
            workerEnv,
            authSecretUid));
  }

  private static Pod pod(
      ClusterModel model,
      String name,
      Role role,
      ContainerSizing sizing,
      List<ContainerPort> ports,
      Probe readiness,
      List<EnvVar> roleEnv,
      String authSecretUid) {
    RSparkClusterSpec spec = model.cluster().getSpec();
    Map<String, String> labels = new LinkedHashMap<>(spec.podLabels);
    labels.putAll(Labels.forRole(model.cluster(), role));
    Map<String, String> annotations = new LinkedHashMap<>(spec.podAnnotations);
    annotations.put(CONFIG_HASH_ANNOTATION, SpecHash.digest(model.sparkDefaultsConf()));
    annotations.put(AUTH_SECRET_UID_ANNOTATION, authSecretUid);
    ObjectMeta meta = Owners.ownedMeta(model.cluster(), name, labels);
    meta.setAnnotations(annotations);

    Pod pod =
        new PodBuilder()
            .withMetadata(meta)
            .withNewSpec()
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withRestartPolicy("Always")
            .withTerminationGracePeriodSeconds(
                role == Role.WORKER
                    ? PodContract.WORKER_TERMINATION_GRACE_SECONDS
                    : PodContract.DRIVER_TERMINATION_GRACE_SECONDS)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(PodContract.SPARK_UID)
            .withRunAsGroup(PodContract.SPARK_UID)
            .withFsGroup(PodContract.SPARK_UID)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .withImagePullSecrets(
                spec.imagePullSecrets.stream()
                    .map(r -> new io.fabric8.kubernetes.api.model.LocalObjectReference(r.name))
                    .toList())
            .withNodeSelector(spec.nodeSelector.isEmpty() ? null : spec.nodeSelector)
            .withTolerations(spec.tolerations)
            .withAffinity(spec.affinity)
            .withPriorityClassName(spec.priorityClassName)
            .withInitContainers(initContainers(model, sizing))
            .withContainers(container(model, role, sizing, ports, readiness, roleEnv, spec.env))
            .withVolumes(volumes(model))
            .endSpec()
            .build();
    return pod;
  }

  private static Container container(
      ClusterModel model,
      Role role,
      ContainerSizing sizing,
      List<ContainerPort> ports,
      Probe readiness,
      List<EnvVar> roleEnv,
      List<EnvVar> userEnv) {
    List<EnvVar> env = new ArrayList<>(userEnv);
    env.addAll(contractEnv(model, role));
    env.addAll(roleEnv);
    return new ContainerBuilder()
        .withName(PodContract.CONTAINER)
        .withImage(model.image())
        .withImagePullPolicy(model.imagePullPolicy().name())
        .withArgs(role.value())
        .withPorts(ports)
        .withEnv(env)
        .withResources(resources(sizing))
        .withReadinessProbe(readiness)
        .withSecurityContext(restrictedContainer())
        .withVolumeMounts(mounts())
        .withLifecycle(role == Role.WORKER ? decommissionOnStop() : null)
        .build();
  }

  /**
   * Whoever deletes a worker pod (node drain, eviction, kubectl delete), the worker first
   * decommissions itself so that running jobs keep their shuffle and cached blocks; the operator's
   * own scale-down has done so before it deletes the pod, and the hook then returns at once.
   */
  private static Lifecycle decommissionOnStop() {
    return new LifecycleBuilder()
        .withNewPreStop()
        .withNewExec()
        .withCommand(PodContract.ENTRYPOINT, PodContract.DECOMMISSION_ROLE)
        .endExec()
        .endPreStop()
        .build();
  }

  /**
   * Installs spec.r.packages into the pod's R library before Spark starts; present only when there
   * are packages. It gets the pod's own resources (init containers run alone, so this costs no
   * extra capacity) and no Spark files.
   */
  private static List<Container> initContainers(ClusterModel model, ContainerSizing sizing) {
    if (model.rPackages().isEmpty()) {
      return List.of();
    }
    return List.of(
        new ContainerBuilder()
            .withName(PodContract.INSTALL_CONTAINER)
            .withImage(model.image())
            .withImagePullPolicy(model.imagePullPolicy().name())
            .withArgs(PodContract.INSTALL_CONTAINER)
            .withEnv(
                env(PodContract.ENV_R_LIBRARY, PodContract.R_LIBRARY_DIR),
                env(PodContract.ENV_R_PACKAGES, String.join(",", model.rPackages())),
                env(PodContract.ENV_R_REPOS, String.join(",", model.rRepos())))
            .withResources(resources(sizing))
            .withSecurityContext(restrictedContainer())
            .withVolumeMounts(
                mount(R_LIBRARY_VOLUME, PodContract.R_LIBRARY_DIR, false),
                mount(TMP_VOLUME, PodContract.TMP_DIR, false))
            .build());
  }

  private static ResourceRequirements resources(ContainerSizing sizing) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    requests.put("cpu", new Quantity(sizing.cpu()));
    requests.put("memory", new Quantity(sizing.memory()));
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (sizing.cpuLimit() != null) {
      limits.put("cpu", new Quantity(sizing.cpuLimit()));
    }
    limits.put("memory", new Quantity(sizing.memory()));
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }

  private static SecurityContext restrictedContainer() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withPrivileged(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  private static List<EnvVar> contractEnv(ClusterModel model, Role role) {
    List<EnvVar> env = new ArrayList<>(sharedContractEnv(model, role));
    // Only where the line's Scala differs from 2.12, which every image of this project and the
    // entrypoint default to: on 3.5 pods the variable would change nothing but the pods' content,
    // and so replace every running cluster's pods when the operator is upgraded.
    if (!PodContract.DEFAULT_SCALA_VERSION.equals(model.sparkLine().scalaVersion())) {
      env.add(env(PodContract.ENV_SPARK_SCALA_VERSION, model.sparkLine().scalaVersion()));
    }
    return env;
  }

  private static List<EnvVar> sharedContractEnv(ClusterModel model, Role role) {
    return List.of(
        env(PodContract.ENV_ROLE, role.value()),
        env(PodContract.ENV_CLUSTER, model.name()),
        env(PodContract.ENV_MASTER_URL, model.masterUrl()),
        env(
            PodContract.ENV_AUTH_SECRET_FILE,
            PodContract.AUTH_DIR + "/" + PodContract.AUTH_SECRET_KEY),
        env(
            PodContract.ENV_SPARK_DEFAULTS_FILE,
            PodContract.CONFIG_DIR + "/" + PodContract.SPARK_DEFAULTS_KEY),
        new EnvVarBuilder()
            .withName(PodContract.ENV_MEMORY_LIMIT_MIB)
            .withNewValueFrom()
            .withNewResourceFieldRef()
            .withContainerName(PodContract.CONTAINER)
            .withResource("limits.memory")
            .withDivisor(new Quantity("1Mi"))
            .endResourceFieldRef()
            .endValueFrom()
            .build(),
        fieldEnv(PodContract.ENV_POD_IP, "status.podIP"),
        fieldEnv(PodContract.ENV_POD_NAME, "metadata.name"),
        env(PodContract.ENV_R_LIBRARY, PodContract.R_LIBRARY_DIR),
        env(PodContract.ENV_SPARK_CONF_DIR, PodContract.RUNTIME_CONF_DIR),
        env(PodContract.ENV_SPARK_LOCAL_DIRS, PodContract.WORK_DIR + "/local"));
  }

  private static List<VolumeMount> mounts() {
    return List.of(
        mount(AUTH_VOLUME, PodContract.AUTH_DIR, true),
        mount(CONFIG_VOLUME, PodContract.CONFIG_DIR, true),
        mount(RUNTIME_CONF_VOLUME, PodContract.RUNTIME_CONF_DIR, false),
        mount(WORK_VOLUME, PodContract.WORK_DIR, false),
        mount(TMP_VOLUME, PodContract.TMP_DIR, false),
        mount(R_LIBRARY_VOLUME, PodContract.R_LIBRARY_DIR, false));
  }

  private static List<Volume> volumes(ClusterModel model) {
    return List.of(
        new VolumeBuilder()
            .withName(AUTH_VOLUME)
            .withNewSecret()
            .withSecretName(ResourceNames.authSecret(model.cluster()))
            // Group-readable: the kubelet gives the file to the pod's fsGroup, the Spark user.
            .withDefaultMode(0440)
            .endSecret()
            .build(),
        new VolumeBuilder()
            .withName(CONFIG_VOLUME)
            .withNewConfigMap()
            .withName(ResourceNames.sparkConfig(model.cluster()))
            .withDefaultMode(0444)
            .endConfigMap()
            .build(),
        emptyDir(RUNTIME_CONF_VOLUME, "Memory"),
        emptyDir(WORK_VOLUME, null),
        emptyDir(TMP_VOLUME, null),
        new VolumeBuilder()
            .withName(R_LIBRARY_VOLUME)
            .withNewEmptyDir()
            .withSizeLimit(new Quantity(model.rLibrarySizeLimit()))
            .endEmptyDir()
            .build());
  }

  private static Volume emptyDir(String name, String medium) {
    return new VolumeBuilder()
        .withName(name)
        .withNewEmptyDir()
        .withMedium(medium)
        .endEmptyDir()
        .build();
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        .withReadOnly(readOnly)
        .build();
  }

  private static ContainerPort port(String name, int port) {
    return new ContainerPortBuilder()
        .withName(name)
        .withContainerPort(port)
        .withProtocol("TCP")
        .build();
  }

  private static Probe httpProbe(String path, int port) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withNewPort(port)
        .endHttpGet()
        .withPeriodSeconds(5)
        .withTimeoutSeconds(2)
        .withFailureThreshold(3)
        .build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar fieldEnv(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }
}
