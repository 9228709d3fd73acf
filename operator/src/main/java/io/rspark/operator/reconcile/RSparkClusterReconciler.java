package io.rspark.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
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
import io.rspark.operator.api.AutoscalingStatus;
import io.rspark.operator.api.ClusterPhase;
import io.rspark.operator.api.RSparkCluster;
import io.rspark.operator.api.RSparkClusterStatus;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.lifecycle.IdleDetector;
import io.rspark.operator.lifecycle.Lifecycle;
import io.rspark.operator.pods.ExecutorPods;
import io.rspark.operator.pods.PodBackoff;
import io.rspark.operator.pods.PodPlan;
import io.rspark.operator.pods.PodPlan.Deletion;
import io.rspark.operator.pods.PodPlanner;
import io.rspark.operator.pods.PodState;
import io.rspark.operator.reconcile.ClusterEvents.Reason;
import io.rspark.operator.resources.ClusterModel;
import io.rspark.operator.resources.DriverRbacFactory;
import io.rspark.operator.resources.DriverServiceFactory;
import io.rspark.operator.resources.ExecutorTemplateFactory;
import io.rspark.operator.resources.Labels;
import io.rspark.operator.resources.NetworkPolicyFactory;
import io.rspark.operator.resources.PodFactory;
import io.rspark.operator.resources.ResourceNames;
import io.rspark.operator.resources.SparkConfigMapFactory;
import io.rspark.operator.scaling.Autoscaler;
import io.rspark.operator.scaling.Decommissioner;
import io.rspark.operator.spark.SparkClient;
import io.rspark.operator.status.ClusterStatusFactory;
import io.rspark.operator.status.Conditions;
import io.rspark.operator.status.KubernetesModeStatus;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles an RSparkCluster into its Secret, ConfigMap, Service, NetworkPolicy and pods: observe
 * (informer caches of our own objects only), validate, act, then write the status only when it
 * changed. Reads never go to the API server, so a converged cluster costs no requests.
 */
@ControllerConfiguration(name = RSparkClusterReconciler.NAME)
public class RSparkClusterReconciler implements Reconciler<RSparkCluster> {
  public static final String NAME = "rsparkcluster";
  private static final Logger LOG = LoggerFactory.getLogger(RSparkClusterReconciler.class);

  static final Duration FORBIDDEN_RETRY = Duration.ofMinutes(1);

  /**
   * How often a name held by a foreign object is tried again: that object carries none of our
   * labels, so no informer tells the operator when it goes.
   */
  static final Duration NAME_TAKEN_RETRY = Duration.ofSeconds(10);

  private final OperatorConfig config;
  private final Clock clock;
  private final PodBackoff backoff;
  private final SparkObserver spark;
  private final SparkAddresses addresses;

  /**
   * @param sparkClient reads and steers the clusters' Spark processes (autoscaling, idle stop,
   *     decommission)
   * @param addresses where a driver pod's master UI and bridge are reached
   */
  public RSparkClusterReconciler(
      OperatorConfig config, Clock clock, SparkClient sparkClient, SparkAddresses addresses) {
    this.config = config;
    this.clock = clock;
    this.backoff = new PodBackoff(config.get(OperatorConfig.POD_BACKOFF_MAX));
    this.spark =
        new SparkObserver(sparkClient, clock, config.get(OperatorConfig.SPARK_DATA_MAX_AGE));
    this.addresses = addresses;
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
    String key = cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName();
    Lifecycle lifecycle = Lifecycle.of(cluster);
    Optional<Pod> driverPod =
        pods.stream()
            .filter(p -> p.getMetadata().getName().equals(ResourceNames.driverPod(cluster)))
            .findFirst();
    boolean observing =
        !lifecycle.suspended()
            && (lifecycle.autoscaling() != null || lifecycle.idleAfter() != null);
    if (observing) {
      driverPod
          .filter(PodState::isReady)
          .ifPresent(
              d ->
                  spark.refresh(
                      key,
                      lifecycle.autoscaling() != null ? addresses.masterUi(d) : Optional.empty(),
                      addresses.bridge(d)));
    }

    Optional<Scaling> scaling =
        lifecycle.autoscaling() == null || lifecycle.suspended()
            ? Optional.empty()
            : Optional.of(autoscale(cluster, key, lifecycle.autoscaling(), pods, now));
    Optional<Autoscaler.Decision> decision = scaling.map(Scaling::decision);
    scaling
        .filter(sc -> sc.decision().changed())
        .ifPresent(
            sc ->
                events.record(
                    cluster,
                    sc.decision().desired() > sc.previous()
                        ? Reason.AutoscaledUp
                        : Reason.AutoscaledDown,
                    sc.decision().message(),
                    now));
    int workerCount = decision.map(Autoscaler.Decision::desired).orElse(lifecycle.workers(cluster));
    ClusterModel model =
        ClusterModel.of(cluster, config.get(OperatorConfig.DEFAULT_IMAGE), workerCount);
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
        NetworkPolicyFactory.create(model, config.operatorPeer()),
        ctx.getSecondaryResource(NetworkPolicy.class));

    if (lifecycle.suspended()) {
      return suspend(cluster, key, writer, pods, events, now, lifecycle, null);
    }
    String lastActivity = null;
    if (lifecycle.idleAfter() != null && driverPod.isPresent()) {
      IdleDetector.Verdict verdict =
          IdleDetector.judge(
              knownActivity(cluster, driverPod.get()),
              spark.driver(key),
              lifecycle.idleAfter(),
              now);
      if (verdict.idle()) {
        return suspend(cluster, key, writer, pods, events, now, lifecycle, verdict);
      }
      lastActivity = verdict.lastActivity().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    Pod driver = PodFactory.driver(model, secretUid);
    Set<String> desiredNames = desiredWorkerNames(cluster, pods, model.workers(), decision);
    List<Pod> workers =
        desiredNames.stream()
            .map(n -> ResourceNames.workerOrdinal(cluster, n))
            .sorted()
            .map(i -> PodFactory.worker(model, i, secretUid))
            .toList();
    Map<String, Pod> observed =
        pods.stream()
            .collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity()));
    PodPlan planned =
        PodPlanner.plan(
            driver, workers, observed, backoff, model.namespace() + "/" + model.name() + "/", now);
    PodPlan plan = decommission(cluster, key, model, planned, driverPod, writer, events, now);
    writer.carryOut(plan, cluster, events, now);
    // The decommission step asked for the master's and the draining workers' readings; the next
    // reconcile acts on them, whether or not the cluster autoscales or stops when idle: keep them
    // and look again every poll until the workers are gone.
    boolean draining = !plan.draining().isEmpty();
    if (!observing && !draining) {
      spark.forget(key);
    }

    RSparkClusterStatus status =
        ClusterStatusFactory.of(cluster, model, desiredNames, pods, plan, now);
    if (model.kubernetesScheduler()) {
      KubernetesModeStatus.describe(status, executors, cluster.getMetadata().getGeneration());
    }
    List<Condition> conditions = new ArrayList<>(status.conditions);
    conditions.add(ClusterStatusFactory.notSuspended(cluster, now));
    status.conditions = conditions;
    status.lastActivityTime = lastActivity;
    status.autoscaling = scaling.map(Scaling::status).orElse(null);
    boolean resumed =
        cluster.getStatus() != null && cluster.getStatus().phase == ClusterPhase.Suspended;
    if (resumed) {
      events.record(cluster, Reason.Resumed, "pods are started again", now);
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
    Optional<Duration> retry = plan.retryAfter();
    if (observing || draining) {
      Duration poll = config.get(OperatorConfig.SPARK_POLL_INTERVAL);
      retry = Optional.of(retry.filter(r -> r.compareTo(poll) < 0).orElse(poll));
    }
    retry.ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * An autoscaling decision.
   *
   * @param previous the count it started from
   * @param status the decision as status.autoscaling shows it
   */
  private record Scaling(Autoscaler.Decision decision, int previous, AutoscalingStatus status) {}

  /**
   * The autoscaler's decision from the latest readings. It starts from the last decision this
   * process made (the status read in a reconcile may not show it yet), else from the status (after
   * a restart), else from spec.workers.replicas.
   */
  private Scaling autoscale(
      RSparkCluster cluster,
      String key,
      Autoscaler.Bounds bounds,
      Collection<Pod> pods,
      Instant now) {
    AutoscalingStatus last =
        spark
            .lastScaling(key)
            .orElse(cluster.getStatus() == null ? null : cluster.getStatus().autoscaling);
    int previousCount = last != null ? last.desired : cluster.getSpec().workers.replicas;
    Optional<Instant> lastScale =
        last == null || last.lastScaleTime == null
            ? Optional.empty()
            : Optional.of(Instant.parse(last.lastScaleTime));
    List<Autoscaler.WorkerPod> workers =
        pods.stream()
            .filter(p -> ResourceNames.workerOrdinal(cluster, p.getMetadata().getName()) >= 0)
            .filter(p -> !PodState.isTerminating(p) && Decommissioner.started(p).isEmpty())
            .map(
                p ->
                    new Autoscaler.WorkerPod(
                        p.getMetadata().getName(),
                        p.getStatus() == null ? null : p.getStatus().getPodIP()))
            .toList();
    Autoscaler.Decision d =
        Autoscaler.decide(
            new Autoscaler.Input(
                bounds,
                previousCount,
                lastScale,
                workers,
                spark.master(key),
                spark.driver(key),
                spark.idleSince(key),
                now));
    spark.idleSince(key, d.idleSince());
    AutoscalingStatus next =
        new AutoscalingStatus(
            d.desired(),
            d.reason(),
            d.message(),
            d.changed()
                ? now.truncatedTo(ChronoUnit.SECONDS).toString()
                : last == null ? null : last.lastScaleTime);
    spark.lastScaling(key, next);
    return new Scaling(d, previousCount, next);
  }

  /**
   * The worker pods to have: without autoscaling ordinals 0..n-1; with it, the workers that stay
   * (not chosen for removal, not draining), trimmed from the highest ordinal or topped up with the
   * lowest free ordinals.
   */
  private static Set<String> desiredWorkerNames(
      RSparkCluster cluster,
      Collection<Pod> pods,
      int count,
      Optional<Autoscaler.Decision> decision) {
    Set<String> names = new TreeSet<>(BY_ORDINAL);
    if (decision.isEmpty()) {
      IntStream.range(0, count).forEach(i -> names.add(ResourceNames.workerPod(cluster, i)));
      return names;
    }
    Set<String> taken = new HashSet<>();
    for (Pod p : pods) {
      String name = p.getMetadata().getName();
      if (ResourceNames.workerOrdinal(cluster, name) < 0) {
        continue;
      }
      taken.add(name);
      if (!PodState.isTerminating(p)
          && Decommissioner.started(p).isEmpty()
          && !decision.get().remove().contains(name)) {
        names.add(name);
      }
    }
    while (names.size() > count) {
      names.remove(((TreeSet<String>) names).last());
    }
    for (int i = 0; names.size() < count; i++) {
      String name = ResourceNames.workerPod(cluster, i);
      if (!taken.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  private static final java.util.Comparator<String> BY_ORDINAL =
      java.util.Comparator.comparing(String::length).thenComparing(s -> s);

  /**
   * Holds back the deletion of workers leaving the cluster until Spark has moved their work away:
   * asks the master to decommission each (once, marked on the pod) and deletes it when the master
   * lets it go or the timeout passes.
   */
  private PodPlan decommission(
      RSparkCluster cluster,
      String key,
      ClusterModel model,
      PodPlan plan,
      Optional<Pod> driverPod,
      ObjectWriter writer,
      ClusterEvents events,
      Instant now) {
    Optional<URI> masterUi =
        model.workers() == 0
            ? Optional.empty()
            : driverPod.filter(PodState::isReady).flatMap(addresses::masterUi);
    if (masterUi.isEmpty()) {
      // No master to hand the work to (single-node, or the driver is down): nothing can drain.
      return plan;
    }
    Decommissioner.Step step =
        Decommissioner.plan(
            plan.deletions(),
            spark.master(key),
            name -> spark.workerExecutors(key, name),
            config.get(OperatorConfig.DECOMMISSION_TIMEOUT),
            now);
    if (step.holding()) {
      spark.refresh(key, masterUi, Optional.empty());
      for (Deletion held : plan.deletions()) {
        Pod pod = held.pod();
        if (step.waiting().contains(pod.getMetadata().getName())) {
          addresses
              .workerUi(pod)
              .ifPresent(ui -> spark.refreshWorker(key, pod.getMetadata().getName(), ui));
        }
      }
    }
    for (Pod pod : step.start()) {
      writer.annotate(pod, Decommissioner.STARTED, now.truncatedTo(ChronoUnit.SECONDS).toString());
      String ip = pod.getStatus().getPodIP();
      spark
          .client()
          .decommissionWorkers(masterUi.get(), ip)
          .whenComplete(
              (ok, failure) -> {
                if (failure != null) {
                  LOG.warn(
                      "Decommission of {} ({}) was not accepted; it is deleted at the timeout: {}",
                      pod.getMetadata().getName(),
                      ip,
                      failure.getMessage());
                }
              });
    }
    if (!step.start().isEmpty()) {
      events.record(
          cluster,
          Reason.Decommissioning,
          "asked Spark to decommission "
              + String.join(
                  ", ", step.start().stream().map(p -> p.getMetadata().getName()).toList())
              + " before deleting it",
          now);
    }
    return new PodPlan(
        plan.creates(),
        step.deletions(),
        plan.retryAfter(),
        plan.backingOff(),
        plan.outdated(),
        step.draining());
  }

  /**
   * Removes the cluster's pods and keeps everything else: for spec.suspend ({@code idle} null) or
   * because the cluster was idle for autoTermination.idleMinutes. Its Spark readings go with the
   * pods.
   */
  private UpdateControl<RSparkCluster> suspend(
      RSparkCluster cluster,
      String key,
      ObjectWriter writer,
      Collection<Pod> pods,
      ClusterEvents events,
      Instant now,
      Lifecycle lifecycle,
      IdleDetector.Verdict idle) {
    boolean byUser = cluster.getSpec().suspend;
    String reason = byUser ? "Suspended" : "Idle";
    String message;
    if (byUser) {
      message = "spec.suspend is true: pods removed, set it to false to start them again";
    } else if (idle != null) {
      message = idle.message() + ": pods removed; any spec change starts them again";
    } else {
      message =
          cluster.getStatus().conditions.stream()
              .filter(c -> Conditions.SUSPENDED.equals(c.getType()))
              .map(Condition::getMessage)
              .findFirst()
              .orElse("stopped for being idle: any spec change starts the pods again");
    }
    spark.forget(key);
    List<Pod> running = pods.stream().filter(p -> !PodState.isTerminating(p)).toList();
    running.forEach(writer::delete);
    RSparkClusterStatus status =
        ClusterStatusFactory.suspended(cluster, reason, message, pods, now);
    status.idleSuspendedGeneration =
        byUser
            ? lifecycle.idleGeneration()
            : idle != null ? cluster.getMetadata().getGeneration() : lifecycle.idleGeneration();
    if (idle != null) {
      status.lastActivityTime = idle.lastActivity().truncatedTo(ChronoUnit.SECONDS).toString();
    }
    boolean wasSuspended =
        cluster.getStatus() != null
            && Conditions.isTrue(cluster.getStatus().conditions, Conditions.SUSPENDED);
    if (!wasSuspended) {
      events.record(cluster, byUser ? Reason.Suspended : Reason.IdleSuspended, message, now);
    }
    return withStatus(cluster, status);
  }

  /** The last activity known: the recorded one, or the driver pod's start if that is later. */
  private static Instant knownActivity(RSparkCluster cluster, Pod driver) {
    Instant started =
        driver.getMetadata().getCreationTimestamp() == null
            ? Instant.EPOCH
            : Instant.parse(driver.getMetadata().getCreationTimestamp());
    String recorded = cluster.getStatus() == null ? null : cluster.getStatus().lastActivityTime;
    if (recorded == null) {
      return started;
    }
    Instant last = Instant.parse(recorded);
    return last.isAfter(started) ? last : started;
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
