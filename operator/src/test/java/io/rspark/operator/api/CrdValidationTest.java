package io.rspark.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.rspark.operator.testing.SpecText;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the generated CRD refuses on a current Kubernetes (schema, strict fields and CEL rules), via
 * {@link CrdSchema}; valid specs pass, so the validator cannot pass by refusing everything.
 */
class CrdValidationTest {
  private static final CrdSchema SCHEMA = CrdSchema.generated();
  private static final String DIGEST =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  static Stream<Arguments> malformed() {
    return Stream.of(
        arguments("{workers: {replicas: -1}}", "spec.workers.replicas", "minimum value of 0"),
        arguments("{scheduler: yarn}", "spec.scheduler", "enumeration"),
        arguments(
            "{scheduler: kubernetes, workers: {replicas: 2}}",
            "spec",
            "workers.replicas must be 0"),
        arguments(
            "{scheduler: kubernetes, workers: {autoscaling: {minReplicas: 1, maxReplicas: 2}}}",
            "spec",
            "workers.autoscaling is not used"),
        arguments("{executors: {maxExecutors: 3}}", "spec", "only used with scheduler: kubernetes"),
        arguments(
            "{scheduler: standalone, executors: {}}",
            "spec",
            "only used with scheduler: kubernetes"),
        arguments(
            "{scheduler: kubernetes, executors: {minExecutors: 5, maxExecutors: 2}}",
            "spec.executors",
            "must not be above"),
        arguments(
            "{scheduler: kubernetes, executors: {maxExecutors: 0}}",
            "spec.executors.maxExecutors",
            "minimum value of 1"),
        arguments(
            "{scheduler: kubernetes, executors: {minExecutors: -1}}",
            "spec.executors.minExecutors",
            "minimum value of 0"),
        arguments(
            "{scheduler: kubernetes, executors: {idleTimeout: 60}}",
            "spec.executors.idleTimeout",
            "integer found"),
        arguments(
            "{scheduler: kubernetes, executors: {idleTimeout: 1 minute}}",
            "spec.executors.idleTimeout",
            "pattern"),
        arguments(
            "{scheduler: kubernetes, executors: {resources: {memory: 8GB}}}",
            "executors.resources.memory",
            "pattern"),
        arguments("{workers: {replicas: 1001}}", "spec.workers.replicas", "maximum value of 1000"),
        arguments("{workers: {replicas: 2.5}}", "spec.workers.replicas", "integer expected"),
        arguments(
            "{workers: {autoscaling: {minReplicas: 4, maxReplicas: 2}}}",
            "spec.workers.autoscaling",
            "minReplicas must not exceed"),
        arguments(
            "{workers: {autoscaling: {minReplicas: 0, maxReplicas: 2}}}",
            "autoscaling.minReplicas",
            "minimum value of 1"),
        arguments(
            "{workers: {autoscaling: {minReplicas: 1, maxReplicas: 1001}}}",
            "autoscaling.maxReplicas",
            "maximum value of 1000"),
        arguments("{workers: {autoscaling: {maxReplicas: 3}}}", "autoscaling", "minReplicas"),
        arguments("{workers: {autoscaling: {minReplicas: 1}}}", "autoscaling", "maxReplicas"),
        arguments(
            "{workers: {autoscaling: {minReplicas: 1, maxReplicas: 2, scaleDownDelay: 10 min}}}",
            "autoscaling.scaleDownDelay",
            "pattern"),
        arguments(
            "{workers: {autoscaling: {minReplicas: 1, maxReplicas: 2, scaleDownDelay: 1m1h}}}",
            "autoscaling.scaleDownDelay",
            "pattern"),
        arguments(
            "{workers: {autoscaling: {minReplicas: 1, maxReplicas: 2, scaleDownDelay: ''}}}",
            "spec.workers.autoscaling",
            "must not be empty"),
        arguments("{autoTermination: {idleMinutes: 0}}", "idleMinutes", "minimum value of 1"),
        arguments("{autoTermination: {}}", "autoTermination", "idleMinutes"),
        arguments("{suspend: yes please}", "spec.suspend", "boolean"),
        arguments("{workers: {replicas: '3'}}", "spec.workers.replicas", "integer expected"),
        arguments("{driver: {resources: {cpu: 2 cores}}}", "resources.cpu", "regex pattern"),
        arguments("{workers: {resources: {cpuLimit: '-1'}}}", "resources.cpuLimit", "pattern"),
        arguments("{driver: {resources: {memory: '4GB '}}}", "resources.memory", "pattern"),
        arguments("{workers: {resources: {memory: -1Gi}}}", "resources.memory", "pattern"),
        arguments("{workers: {resources: {memory: '" + "1".repeat(33) + "'}}}", "memory", "32"),
        arguments("{driver: {resources: {cpu: -1}}}", "resources.cpu", "minimum value of 0"),
        arguments("{workers: {resources: {cpuLimit: -2}}}", "resources.cpuLimit", "minimum"),
        arguments("{driver: {resources: {cpu: 1.5}}}", "resources.cpu", "number found"),
        arguments(
            "{workers: {resources: {memory: 4}}}",
            "spec.workers.resources.memory",
            "counts bytes and must be at least 1073741824 (1Gi); write a unit, such as 4Gi"),
        arguments("{r: {librarySizeLimit: 0}}", "spec.r.librarySizeLimit", "minimum value of 1"),
        arguments("{image: R-Executor:1}", "spec.image", "regex pattern"),
        arguments("{image: ghcr.io/Org/img:1}", "spec.image", "regex pattern"),
        arguments("{image: 'r executor:1'}", "spec.image", "regex pattern"),
        arguments("{image: 'repo:tag:tag'}", "spec.image", "regex pattern"),
        arguments("{image: 'img@sha256:abc'}", "spec.image", "regex pattern"),
        arguments("{imagePullPolicy: Sometimes}", "spec.imagePullPolicy", "enumeration"),
        arguments("{r: {packages: [data.table, 'xgboost; rm']}}", "spec.r.packages[1]", "pattern"),
        arguments("{r: {packages: [9lives]}}", "spec.r.packages[0]", "pattern"),
        arguments("{r: {repos: ['ftp://cran.example.org']}}", "spec.r.repos[0]", "pattern"),
        arguments("{r: {repos: ['https://a b']}}", "spec.r.repos[0]", "pattern"),
        arguments("{r: {librarySizeLimit: 4 GB}}", "spec.r.librarySizeLimit", "pattern"),
        arguments(
            "{access: {clientSelector: {matchLabel: {a: b}}}}", "unknown field", "matchLabel"),
        arguments("{replicas: 3}", "unknown field \"spec.replicas\"", ""),
        arguments("{workers: {replica: 3}}", "unknown field \"spec.workers.replica\"", ""),
        arguments("{driver: {resources: {gpu: 1}}}", "unknown field", "resources.gpu"),
        arguments("{tolerations: [{key: a, effects: NoSchedule}]}", "unknown field", "effects"),
        arguments(
            "{sparkConf: {executor.memory: 2g}}", "spec.sparkConf", "must start with 'spark.'"),
        arguments("{sparkConf: {spark.master: 'local[2]'}}", "spec.sparkConf", "operator owns"),
        arguments("{sparkConf: {spark.worker.ui.port: '9000'}}", "spec.sparkConf", "operator owns"),
        arguments(
            "{sparkConf: {'spark.app.name x': y}}",
            "spec.sparkConf",
            "must not contain whitespace"),
        arguments("{sparkConf: {'spark.a=b': y}}", "spec.sparkConf", "must not contain whitespace"),
        arguments(
            "{sparkConf: {'spark.a\\\\b': y}}", "spec.sparkConf", "must not contain whitespace"),
        arguments("{sparkConf: {spark.authenticate.secret: x}}", "spec.sparkConf", "operator owns"),
        arguments(
            "{sparkConf: {spark.kubernetes.namespace: x}}", "spec.sparkConf", "operator owns"),
        arguments(
            "{env: [{name: RSPARK_ROLE, value: w}]}", "spec.env", "reserved for the operator"),
        arguments("{env: [{value: nameless}]}", "spec.env", "every env entry needs a name"),
        arguments("{podLabels: {rspark.io/x: y}}", "spec.podLabels", "reserved for the operator"),
        arguments("{podLabels: {app.kubernetes.io/name: y}}", "spec.podLabels", "reserved"),
        arguments("{podAnnotations: {rspark.io/x: y}}", "spec.podAnnotations", "reserved"),
        arguments("{priorityClassName: High-Priority}", "spec.priorityClassName", "pattern"),
        arguments("{priorityClassName: " + "p".repeat(254) + "}", "priorityClassName", "253"),
        arguments("{imagePullSecrets: [{}]}", "spec.imagePullSecrets[0]", "'name' not found"),
        arguments("{imagePullSecrets: [{name: ''}]}", "imagePullSecrets[0].name", "1"),
        arguments("{imagePullSecrets: [{name: Regcred}]}", "imagePullSecrets[0].name", "pattern"),
        arguments("{nodeSelector: {a: 1}}", "spec.nodeSelector.a", "integer found"),
        arguments("{nodeSelector: " + SpecText.manyKeys(65) + "}", "spec.nodeSelector", "64"),
        arguments(
            "{imagePullSecrets: " + SpecText.manyNames(17) + "}", "spec.imagePullSecrets", "16"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void refused(String spec, String where, String what) {
    List<String> errors = SCHEMA.validateSpec(spec);
    assertThat(errors)
        .as("errors of %s", spec)
        .anySatisfy(e -> assertThat(e).contains(where).contains(what));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Analytics",
        "9lives",
        "a_b",
        "ends-with-dash-",
        "x23456789012345678901234567890123456789012345678901234567"
      })
  void clusterNamesThatCannotNameAServiceAreRefused(String name) {
    assertThat(SCHEMA.validate("{metadata: {name: " + name + "}, spec: {}}"))
        .anySatisfy(e -> assertThat(e).contains("metadata.name must start with a letter"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "analytics",
        "team-1-cluster",
        "x2345678901234567890123456789012345678901234567890123456"
      })
  void clusterNamesThatFitAreAccepted(String name) {
    assertThat(SCHEMA.validate("{metadata: {name: " + name + "}, spec: {}}")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{workers: {autoscaling: {minReplicas: 1, maxReplicas: 1}}}",
        "{workers: {replicas: 0, autoscaling: {minReplicas: 2, maxReplicas: 8}}}",
        "{workers: {autoscaling: {minReplicas: 1, maxReplicas: 1000, scaleDownDelay: 1h30m}}}",
        "{workers: {autoscaling: {minReplicas: 1, maxReplicas: 4, scaleDownDelay: 90s}}}",
        "{autoTermination: {idleMinutes: 120}, suspend: true}",
        "{suspend: false}"
      })
  void lifecycleSpecsThatFitAreAccepted(String spec) {
    assertThat(SCHEMA.validateSpec(spec)).isEmpty();
  }

  /** Quantities are int-or-string, as in a pod's resources: a YAML integer is a plain number. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{workers: {resources: {cpu: 2, memory: 4294967296}}}",
        "{driver: {resources: {cpu: 1, cpuLimit: 2, memory: 1073741824}}}",
        "{workers: {resources: {cpu: '2', cpuLimit: 4, memory: 4Gi}}}",
        "{scheduler: kubernetes, executors: {resources: {cpu: 3, memory: 8589934592}}}",
        "{r: {librarySizeLimit: 4294967296}}"
      })
  void quantitiesMayBeIntegers(String spec) {
    assertThat(SCHEMA.validateSpec(spec)).isEmpty();
  }

  @Test
  void minimalSpecIsValid() {
    assertThat(SCHEMA.validateSpec("{}")).isEmpty();
    assertThat(
            SCHEMA.validate(
                "{apiVersion: rspark.io/v1alpha1, kind: RSparkCluster, metadata: {name: a}}"))
        .isEmpty();
  }

  @Test
  void realisticSpecIsValid() {
    String spec =
        """
        apiVersion: rspark.io/v1alpha1
        kind: RSparkCluster
        metadata:
          name: analytics
          namespace: team-a
          labels: {team: a}
        spec:
          image: localhost:5000/team/r-executor:3.5-r4
          imagePullPolicy: IfNotPresent
          imagePullSecrets: [{name: regcred}, {name: registry.example.com}]
          driver:
            resources: {cpu: "2", memory: 4Gi}
          workers:
            replicas: 8
            resources: {cpu: 1500m, cpuLimit: "2.5", memory: 7.5Gi}
          sparkConf:
            spark.sql.shuffle.partitions: "64"
            spark.executor.memoryOverhead: 1g
            spark.eventLog.enabled: "true"
          env:
            - {name: TZ, value: UTC}
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: db, key: password}}
            - name: CPU_LIMIT
              valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1m}}
            - name: MEM_LIMIT
              valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1}}
          nodeSelector: {kubernetes.io/arch: amd64}
          tolerations:
            - {key: dedicated, operator: Equal, value: spark, effect: NoSchedule}
          affinity:
            podAntiAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 100
                  podAffinityTerm:
                    topologyKey: kubernetes.io/hostname
                    labelSelector: {matchLabels: {app.kubernetes.io/instance: analytics}}
          priorityClassName: batch-high
          podLabels: {cost-center: "4711"}
          podAnnotations: {prometheus.io/scrape: "true"}
        status:
          phase: Running
          observedGeneration: 3
          selector: app.kubernetes.io/instance=analytics
          workers: {desired: 8, current: 8, ready: 8}
          conditions:
            - {type: Ready, status: "True", reason: AllReady, lastTransitionTime: "2024-01-01T00:00:00Z"}
        """;
    assertThat(SCHEMA.validate(spec)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "r-executor",
        "r-executor:3.5-r4",
        "localhost:5000/team/r-executor:3.5-r4",
        "registry.example.com/a/b/c:1.0",
        "ghcr.io/org/img@sha256:" + DIGEST,
        "ghcr.io/org/img:1.2@sha256:" + DIGEST,
        "docker.io/library/r-base:4.4.1",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/rspark/r-executor:latest",
        "192.168.1.10:5000/img",
        "xn--bcher-kva.example/img:1",
        "quay.io/org/name__with__underscores",
        "example.com/a---b/c.d_e:TAG_1.0"
      })
  void validImages(String image) {
    assertThat(SCHEMA.validateSpec("{image: '" + image + "'}")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "IMG",
        "team/Img",
        "img:",
        ":tag",
        "a._b",
        "a..b",
        "-a",
        "a-",
        "img@sha256:00"
      })
  void invalidImages(String image) {
    assertThat(SCHEMA.validateSpec("{image: '" + image + "'}")).isNotEmpty();
  }

  @Test
  void nullsAreDroppedLikeKubernetesDoes() {
    assertThat(SCHEMA.validateSpec("{image: null, workers: {replicas: 2, resources: null}}"))
        .isEmpty();
  }

  @Test
  void everyCelRuleCompilesAndIsChecked() {
    assertThat(SCHEMA.celRules())
        .hasSize(18)
        .contains("spec.scheduler: self == oldSelf")
        .contains(
            "spec.workers.resources.memory: type(self) == string || self >= 1073741824",
            "spec.driver.resources.memory: type(self) == string || self >= 1073741824",
            "spec.executors.resources.memory: type(self) == string || self >= 1073741824")
        .anyMatch(r -> r.contains("size(self.metadata.name) <= 56"))
        .contains("spec.workers.autoscaling: self.minReplicas <= self.maxReplicas")
        .contains("spec.sparkConf: " + OperatorOwnedSparkConf.CEL_RULE);
  }

  @Test
  void acceptsAMap() {
    Map<String, Object> cluster =
        Map.of(
            "kind",
            "RSparkCluster",
            "metadata",
            Map.of("name", "a"),
            "spec",
            Map.of("workers", Map.of("replicas", -3)));
    assertThat(SCHEMA.validate(cluster)).singleElement().asString().contains("minimum");
  }

  @Test
  void kubernetesSchedulerSpecsPass() {
    assertThat(SCHEMA.validateSpec("{scheduler: kubernetes}")).isEmpty();
    assertThat(
            SCHEMA.validateSpec(
                "{scheduler: kubernetes, workers: {replicas: 0}, executors: {minExecutors: 2,"
                    + " maxExecutors: 2, idleTimeout: 5m, resources: {cpu: '2', memory: 8Gi}}}"))
        .isEmpty();
    assertThat(SCHEMA.validateSpec("{scheduler: standalone, workers: {replicas: 3}}")).isEmpty();
  }

  @Test
  void theSchedulerCannotChangeOnAnExistingCluster() {
    assertThat(
            SCHEMA.validateSpecUpdate(
                "{scheduler: standalone, workers: {replicas: 0}}", "{scheduler: kubernetes}"))
        .containsExactly(
            "spec.scheduler: scheduler cannot change on an existing cluster; create a new cluster"
                + " instead");
    assertThat(SCHEMA.validateSpecUpdate("{scheduler: kubernetes}", "{scheduler: standalone}"))
        .singleElement()
        .asString()
        .contains("cannot change");
    assertThat(
            SCHEMA.validateSpecUpdate(
                "{scheduler: kubernetes}", "{scheduler: kubernetes, executors: {maxExecutors: 4}}"))
        .as("other edits of a kubernetes-mode cluster pass")
        .isEmpty();
  }
}
