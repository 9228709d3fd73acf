package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.RSparkClusterStatus;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.lifecycle.ClusterStatusFactory;
import io.rspark.operator.lifecycle.Conditions;
import io.rspark.operator.lifecycle.ExecutorPods;
import io.rspark.operator.lifecycle.PodBackoff;
import io.rspark.operator.lifecycle.PodPlan;
import io.rspark.operator.lifecycle.PodPlanner;
import io.rspark.operator.reconcile.ClusterEvents.Reason;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.DriverRbacFactory;
import io.rspark.operator.resources.DriverServiceFactory;
import io.rspark.operator.resources.ExecutorTemplateFactory;
import io.rspark.operator.resources.Labels;
import io.rspark.operator.resources.NetworkPolicyFactory;
import io.rspark.operator.resources.PodFactory;
import io.rspark.operator.resources.SparkConfigMapFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Reconciles an RSparkCluster into its Secret, ConfigMap, Service, NetworkPolicy and pods: observe
 * (informer caches of our own objects only), validate, act, then write the status only when it
 * changed. Reads never go to the API server, so a converged cluster costs no requests.
 */
@ControllerConfiguration(name = RSparkClusterReconciler.NAME)
public class RSparkClusterReconciler implements Reconciler<RSparkCluster> {
  public static final String NAME = "rsparkcluster";

  static final Duration FORBIDDEN_RETRY = Duration.ofMinutes(1);

  /**
   * How often a name held by a foreign object is tried again: that object carries none of our
   * labels, so no informer tells the operator when it goes.
   */
  static final Duration NAME_TAKEN_RETRY = Duration.ofSeconds(10);

  private final OperatorConfig config;
  private final Clock clock;
  private final PodBackoff backoff;

  public RSparkClusterReconciler(OperatorConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.backoff = new PodBackoff(config.get(OperatorConfig.POD_BACKOFF_MAX));
  }

  /** The kinds the operator creates; informers watch only those carrying our label. */
  public static final List<Class<? extends HasMetadata>> OWNED_KINDS =
      List.of(
          Pod.class,
          Secret.class,
          ConfigMap.class,
          Service.class,
          NetworkPolicy.class,
          ServiceAccount.class,
          Role.class,
          RoleBinding.class);

  @Override
  public List<EventSource<?, RSparkCluster>> prepareEventSources(
      EventSourceContext<RSparkCluster> context) {
    List<EventSource<?, RSparkCluster>> sources = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : OWNED_KINDS) {
      sources.add(informer(kind, context));
    }
    return sources;
  }

  private static <R extends HasMetadata> InformerEventSource<R, RSparkCluster> informer(
      Class<R> kind, EventSourceContext<RSparkCluster> context) {
    var config =
        InformerEventSourceConfiguration.from(kind, RSparkCluster.class)
            .withLabelSelector(Labels.MANAGED_SELECTOR)
            .withItemStore(TrimmedItemStore.forKind(kind))
            .withNamespacesInheritedFromController();
    if (kind == Pod.class) {
      config.withSecondaryToPrimaryMapper(RSparkClusterReconciler::podOwner);
    }
    return new InformerEventSource<>(config.build(), context);
  }

  /**
   * The cluster of a pod: its controller for the pods the operator creates; for executor pods,
   * which Spark creates owned by the driver pod, the cluster label the template gave them.
   */
  static Set<ResourceID> podOwner(HasMetadata pod) {
    Set<ResourceID> owners = OWNER_REFERENCES.toPrimaryResourceIDs(pod);
    if (!owners.isEmpty() || !(pod instanceof Pod p) || !ExecutorPods.isExecutor(p)) {
      return owners;
    }
    return Set.of(
        new ResourceID(
            p.getMetadata().getLabels().get(Labels.CLUSTER), p.getMetadata().getNamespace()));
  }

  private static final SecondaryToPrimaryMapper<HasMetadata> OWNER_REFERENCES =
      Mappers.fromOwnerReferences(RSparkCluster.class, false);

  @Override
  public UpdateControl<RSparkCluster> reconcile(RSparkCluster cluster, Context<RSparkCluster> ctx) {
    Instant now = clock.instant();
    ClusterEvents events = new ClusterEvents(ctx.getClient());
    Map<Boolean, List<Pod>> byCreator =
        ctx.getSecondaryResources(Pod.class).stream()
            .collect(Collectors.partitioningBy(ExecutorPods::isExecutor));
    Collection<Pod> pods = byCreator.get(false);
    Collection<Pod> executors = byCreator.get(true);
    List<SpecProblem> problems = new ArrayList<>(SpecValidator.validate(cluster));
    SpecValidator.schedulerSwitch(cluster, ctx.getSecondaryResource(Secret.class))
        .ifPresent(problems::add);
    if (!problems.isEmpty()) {
      String all = problems.stream().map(SpecProblem::message).collect(Collectors.joining("; "));
      RSparkClusterStatus status =
          ClusterStatusFactory.invalidSpec(cluster, problems.get(0).reason(), all, pods, now);
      if (!status.equals(cluster.getStatus())) {
        events.record(cluster, Reason.InvalidSpec, all, now);
      }
      return withStatus(cluster, status);
    }

    try {
      return realise(cluster, ctx, pods, executors, events, now);
    } catch (KubernetesClientException e) {
      return refused(cluster, pods, events, now, e);
    } catch (NameTakenException e) {
      return nameTaken(cluster, pods, events, now, e);
    }
  }

  private UpdateControl<RSparkCluster> nameTaken(
      RSparkCluster cluster,
      Collection<Pod> pods,
      ClusterEvents events,
      Instant now,
      NameTakenException e) {
    RSparkClusterStatus status =
        ClusterStatusFactory.stalled(
            cluster,
            e.kind() + "NameTaken",
            e.getMessage(),
            "retrying every " + NAME_TAKEN_RETRY.toSeconds() + " s until the name is free",
            pods,
            now);
    if (!status.equals(cluster.getStatus())) {
      events.record(cluster, Reason.ObjectRejected, e.getMessage(), now);
    }
    UpdateControl<RSparkCluster> control = withStatus(cluster, status);
    control.rescheduleAfter(NAME_TAKEN_RETRY);
    return control;
  }

  private UpdateControl<RSparkCluster> realise(
      RSparkCluster cluster,
      Context<RSparkCluster> ctx,
      Collection<Pod> pods,
      Collection<Pod> executors,
      ClusterEvents events,
      Instant now) {
    ClusterModel model = ClusterModel.of(cluster, config.get(OperatorConfig.DEFAULT_IMAGE));
    ObjectWriter writer = new ObjectWriter(ctx.getClient());
    String secretUid = writer.ensureAuthSecret(model, ctx.getSecondaryResource(Secret.class));
    Map<String, ConfigMap> configMaps = byName(ctx.getSecondaryResources(ConfigMap.class));
    ConfigMap sparkConfig = SparkConfigMapFactory.create(model);
    if (writer.applyIfChanged(
        sparkConfig, Optional.ofNullable(configMaps.get(name(sparkConfig))))) {
      events.record(cluster, Reason.ConfigUpdated, "spark-defaults.conf rendered anew", now);
    }
    if (model.kubernetesScheduler()) {
      // The Role before its binding, and both before the driver that uses them.
      writer.applyIfChanged(
          DriverRbacFactory.serviceAccount(model), ctx.getSecondaryResource(ServiceAccount.class));
      writer.applyIfChanged(DriverRbacFactory.role(model), ctx.getSecondaryResource(Role.class));
      writer.applyIfChanged(
          DriverRbacFactory.roleBinding(model), ctx.getSecondaryResource(RoleBinding.class));
      ConfigMap template = ExecutorTemplateFactory.create(model);
      writer.applyIfChanged(template, Optional.ofNullable(configMaps.get(name(template))));
    }
    writer.applyIfChanged(
        DriverServiceFactory.create(model), ctx.getSecondaryResource(Service.class));
    writer.applyIfChanged(
        NetworkPolicyFactory.create(model), ctx.getSecondaryResource(NetworkPolicy.class));

    Pod driver = PodFactory.driver(model, secretUid);
    List<Pod> workers =
        IntStream.range(0, model.workers())
            .mapToObj(i -> PodFactory.worker(model, i, secretUid))
            .toList();
    Map<String, Pod> observed =
        pods.stream()
            .collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity()));
    PodPlan plan =
        PodPlanner.plan(
            driver, workers, observed, backoff, model.namespace() + "/" + model.name() + "/", now);
    writer.carryOut(plan, cluster, events, now);

    RSparkClusterStatus status = ClusterStatusFactory.of(cluster, model, pods, plan, now);
    if (model.kubernetesScheduler()) {
      ExecutorPods.describe(status, executors, cluster.getMetadata().getGeneration());
    }
    boolean becameReady =
        Conditions.isTrue(status.conditions, Conditions.READY)
            && (cluster.getStatus() == null
                || !Conditions.isTrue(cluster.getStatus().conditions, Conditions.READY));
    if (becameReady) {
      events.record(
          cluster,
          Reason.ClusterReady,
          model.kubernetesScheduler()
              ? ExecutorPods.READY_MESSAGE
              : ClusterStatusFactory.readyMessage(model.workers()),
          now);
    }
    UpdateControl<RSparkCluster> control = withStatus(cluster, status);
    plan.retryAfter().ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * The API server refused one of the cluster's objects. A refusal that only a spec change can cure
   * (invalid object) or that waits on someone else (quota, admission policy) is reported as Stalled
   * instead of being retried in a loop; anything else is a transient failure for JOSDK to retry.
   */
  private UpdateControl<RSparkCluster> refused(
      RSparkCluster cluster,
      Collection<Pod> pods,
      ClusterEvents events,
      Instant now,
      KubernetesClientException e) {
    boolean invalid = e.getCode() == 400 || e.getCode() == 422;
    boolean forbidden = e.getCode() == 403;
    if (!invalid && !forbidden) {
      throw e;
    }
    String detail = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
    String message = "the API server refused an object of this cluster: " + detail;
    RSparkClusterStatus status =
        ClusterStatusFactory.stalled(
            cluster,
            invalid ? "ObjectInvalid" : "Forbidden",
            message,
            invalid
                ? "waiting for a spec whose objects the API server accepts"
                : "retrying every minute: a quota or an admission policy may change",
            pods,
            now);
    if (!status.equals(cluster.getStatus())) {
      events.record(cluster, Reason.ObjectRejected, message, now);
    }
    UpdateControl<RSparkCluster> control = withStatus(cluster, status);
    if (forbidden) {
      control.rescheduleAfter(FORBIDDEN_RETRY);
    }
    return control;
  }

  private static <T extends HasMetadata> Map<String, T> byName(Collection<T> objects) {
    return objects.stream().collect(Collectors.toMap(RSparkClusterReconciler::name, o -> o));
  }

  private static String name(HasMetadata object) {
    return object.getMetadata().getName();
  }

  private static UpdateControl<RSparkCluster> withStatus(
      RSparkCluster cluster, RSparkClusterStatus status) {
    if (status.equals(cluster.getStatus())) {
      return UpdateControl.noUpdate();
    }
    cluster.setStatus(status);
    return UpdateControl.patchStatus(cluster);
  }
}
