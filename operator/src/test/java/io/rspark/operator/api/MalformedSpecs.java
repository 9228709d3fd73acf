package io.rspark.operator.api;

import io.rspark.operator.testing.SpecText;
import java.util.ArrayList;
import java.util.List;

/**
 * The malformed RSparkCluster specs, each with who refuses it and what they say. The one table:
 * {@code CrdAdmissionIT} sends every row to a Kubernetes 1.36 API server, {@code
 * FaultMalformedSpecIT} to the operator on the IT kit's 1.20, {@code MalformedSpecsTest} checks the
 * operator's rows against {@code SpecValidator}, and {@code ValidationDocTest} lists them in
 * docs/validation.md.
 */
public final class MalformedSpecs {
  /** Who refuses a row on Kubernetes 1.25+ (the layer on older clusters follows from it). */
  public enum Layer {
    /** The structural schema: every Kubernetes version refuses the request (HTTP 422). */
    SCHEMA,
    /**
     * A field the schema does not have: refused on 1.25+ when the client asks for strict field
     * validation (kubectl does by default); older servers drop it silently.
     */
    UNKNOWN_FIELD,
    /** A CEL rule: refused on 1.25+; older servers drop the rule and the operator Stalls it. */
    CEL,
    /** Neither schema nor CEL can say it: every server accepts it, the operator Stalls it. */
    OPERATOR
  }

  /**
   * One malformed cluster. {@code serverMessage} is what the 1.36 API server says (a part of its
   * message, field path included); {@code reason} and {@code operatorMessage} what the operator's
   * Stalled condition says where it judges the row (CEL and OPERATOR rows). {@code refusedBy120}
   * marks CEL rows that Kubernetes 1.20 refuses anyway: it reads an empty string as null and says
   * "must be of type string".
   */
  public record Row(
      String name,
      String spec,
      Layer layer,
      String serverMessage,
      String reason,
      String operatorMessage,
      boolean refusedBy120) {
    public boolean refusedByTheServer() {
      return layer != Layer.OPERATOR;
    }

    /** The field the server names first in its message, e.g. {@code spec.workers.replicas}. */
    public String field() {
      return serverMessage.split("[ :]", 2)[0];
    }

    /** The operator's validator refuses it (for the CEL rows: where the server dropped CEL). */
    public boolean judgedByTheOperator() {
      return layer == Layer.CEL || layer == Layer.OPERATOR;
    }

    /** On the IT kit's Kubernetes 1.20 the request is accepted and the cluster Stalls. */
    public boolean stalledOn120() {
      return judgedByTheOperator() && !refusedBy120;
    }

    @Override
    public String toString() {
      return name + " " + spec;
    }
  }

  private static final String DIGEST = "0123456789abcdef".repeat(4);

  private MalformedSpecs() {}

  /** Every row, named bad-0, bad-1, ... unless the row is about the name. */
  public static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    // metadata.name: it names the driver Service <name>-driver, a 63-character DNS label.
    rows.add(badName("9lives"));
    rows.add(badName("dotted.name"));
    rows.add(badName("n" + "0".repeat(56)));
    rows.add(badName("c" + "1".repeat(116)));
    // Names that are no DNS subdomain: Kubernetes refuses them for every kind of object.
    rows.add(invalidObjectName("Analytics"));
    rows.add(invalidObjectName("ends-with-dash-"));
    rows.add(invalidObjectName("a_b"));
    // sparkVersion: the Spark line, a quoted MAJOR.MINOR of the enum; an image needs it
    for (String line : new String[] {"'3.4'", "'4'", "4.2.0", "''"}) {
      String value = line.startsWith("'") ? line.substring(1, line.length() - 1) : line;
      rows.add(
          schema(
              "{sparkVersion: " + line + "}",
              "spec.sparkVersion: Unsupported value: \""
                  + value
                  + "\": supported values: \"3.5\", \"4.2\""));
    }
    rows.add(schema("{sparkVersion: 4.2}", "spec.sparkVersion in body must be of type string"));
    rows.add(
        cel(
            "{image: registry.example.com/rspark/r-executor:4.2.0-r4}",
            "spec: Invalid value: spec.image needs spec.sparkVersion: the Spark line of that"
                + " image, 3.5 or 4.2",
            "SparkVersionRequired",
            "spec.image needs spec.sparkVersion: the Spark line of that image, 3.5 or 4.2"));
    // scheduler and executors
    rows.add(schema("{scheduler: yarn}", "spec.scheduler: Unsupported value: \"yarn\""));
    rows.add(
        cel(
            "{scheduler: kubernetes, workers: {replicas: 2}}",
            "spec: Invalid value: with scheduler: kubernetes Spark creates executor pods itself:"
                + " workers.replicas must be 0",
            "InvalidScheduler",
            "workers.replicas must be 0"));
    rows.add(
        cel(
            "{scheduler: kubernetes, workers: {autoscaling: {minReplicas: 1, maxReplicas: 2}}}",
            "spec: Invalid value: with scheduler: kubernetes workers.autoscaling is not used",
            "InvalidScheduler",
            "workers.autoscaling is not used"));
    rows.add(
        cel(
            "{executors: {maxExecutors: 3}}",
            "spec: Invalid value: executors is only used with scheduler: kubernetes",
            "InvalidScheduler",
            "executors is only used with scheduler: kubernetes"));
    rows.add(
        cel(
            "{scheduler: standalone, executors: {}}",
            "spec: Invalid value: executors is only used with scheduler: kubernetes",
            "InvalidScheduler",
            "executors is only used"));
    rows.add(
        cel(
            "{scheduler: kubernetes, executors: {minExecutors: 5, maxExecutors: 2}}",
            "spec.executors: Invalid value: executors.minExecutors must not be above"
                + " executors.maxExecutors",
            "InvalidExecutors",
            "executors.minExecutors 5 is above executors.maxExecutors 2"));
    rows.add(
        schema(
            "{scheduler: kubernetes, executors: {maxExecutors: 0}}",
            "spec.executors.maxExecutors in body should be greater than or equal to 1"));
    rows.add(
        schema(
            "{scheduler: kubernetes, executors: {minExecutors: -1}}",
            "spec.executors.minExecutors in body should be greater than or equal to 0"));
    rows.add(
        schema(
            "{scheduler: kubernetes, executors: {maxExecutors: 1001}}",
            "spec.executors.maxExecutors in body should be less than or equal to 1000"));
    rows.add(
        schema(
            "{scheduler: kubernetes, executors: {idleTimeout: 60}}",
            "spec.executors.idleTimeout in body must be of type string"));
    rows.add(
        schema(
            "{scheduler: kubernetes, executors: {idleTimeout: 1 minute}}",
            "spec.executors.idleTimeout in body should match"));
    rows.add(
        schema(
            "{scheduler: kubernetes, executors: {idleTimeout: 0s}}",
            "spec.executors.idleTimeout in body should match"));
    rows.add(
        schema(
            "{scheduler: kubernetes, executors: {resources: {memory: 8GB}}}",
            "spec.executors.resources.memory in body should match"));
    rows.add(unknown("{scheduler: kubernetes, executors: {max: 4}}", "spec.executors.max"));
    // workers and autoscaling
    rows.add(
        schema(
            "{workers: {replicas: -1}}",
            "spec.workers.replicas in body should be greater than or equal to 0"));
    rows.add(
        schema(
            "{workers: {replicas: 1001}}",
            "spec.workers.replicas in body should be less than or equal to 1000"));
    rows.add(
        schema(
            "{workers: {replicas: 2.5}}", "spec.workers.replicas in body must be of type integer"));
    rows.add(
        schema(
            "{workers: {replicas: '3'}}", "spec.workers.replicas in body must be of type integer"));
    rows.add(unknown("{workers: {replica: 3}}", "spec.workers.replica"));
    rows.add(unknown("{replicas: 3}", "spec.replicas"));
    rows.add(
        cel(
            "{workers: {autoscaling: {minReplicas: 4, maxReplicas: 2}}}",
            "spec.workers.autoscaling: Invalid value: autoscaling.minReplicas must not"
                + " exceed autoscaling.maxReplicas",
            "InvalidAutoscaling",
            "workers.autoscaling.minReplicas 4 is above maxReplicas 2"));
    rows.add(
        schema(
            "{workers: {autoscaling: {minReplicas: 0, maxReplicas: 2}}}",
            "spec.workers.autoscaling.minReplicas in body should be greater than or equal to 1"));
    rows.add(
        schema(
            "{workers: {autoscaling: {minReplicas: 1, maxReplicas: 1001}}}",
            "spec.workers.autoscaling.maxReplicas in body should be less than or equal to 1000"));
    rows.add(
        schema(
            "{workers: {autoscaling: {maxReplicas: 3}}}",
            "spec.workers.autoscaling.minReplicas: Required value"));
    rows.add(
        schema(
            "{workers: {autoscaling: {minReplicas: 1}}}",
            "spec.workers.autoscaling.maxReplicas: Required value"));
    rows.add(
        schema(
            "{workers: {autoscaling: {minReplicas: 1, maxReplicas: 2, scaleDownDelay: 10 min}}}",
            "spec.workers.autoscaling.scaleDownDelay in body should match"));
    rows.add(
        schema(
            "{workers: {autoscaling: {minReplicas: 1, maxReplicas: 2, scaleDownDelay: 1m1h}}}",
            "spec.workers.autoscaling.scaleDownDelay in body should match"));
    rows.add(
        celEmptyString(
            "{workers: {autoscaling: {minReplicas: 1, maxReplicas: 2, scaleDownDelay: ''}}}",
            "spec.workers.autoscaling: Invalid value: autoscaling.scaleDownDelay must not be empty",
            "InvalidAutoscaling",
            "scaleDownDelay must not be empty"));
    rows.add(
        unknown(
            "{workers: {autoscaling: {min: 1, minReplicas: 1, maxReplicas: 2}}}",
            "spec.workers.autoscaling.min"));
    // resources of the driver, workers and executors
    rows.add(
        schema(
            "{driver: {resources: {cpu: 2 cores}}}",
            "spec.driver.resources.cpu in body should match"));
    rows.add(
        schema(
            "{workers: {resources: {cpuLimit: '-1'}}}",
            "spec.workers.resources.cpuLimit in body should match"));
    rows.add(
        schema(
            "{driver: {resources: {memory: '4GB '}}}",
            "spec.driver.resources.memory in body should match"));
    rows.add(
        schema(
            "{workers: {resources: {memory: -1Gi}}}",
            "spec.workers.resources.memory in body should match"));
    rows.add(
        schema(
            "{workers: {resources: {memory: '" + "1".repeat(33) + "'}}}",
            "spec.workers.resources.memory: Too long: may not be more than 32"));
    rows.add(
        schema(
            "{driver: {resources: {cpu: -1}}}",
            "spec.driver.resources.cpu in body should be greater than or equal to 0"));
    rows.add(
        schema(
            "{workers: {resources: {cpuLimit: -2}}}",
            "spec.workers.resources.cpuLimit in body should be greater than or equal to 0"));
    rows.add(schema("{driver: {resources: {cpu: 1.5}}}", "spec.driver.resources.cpu"));
    rows.add(
        cel(
            "{workers: {replicas: 1, resources: {memory: 4}}}",
            "counts bytes and must be at least 1073741824 (1Gi); write a unit, such as 4Gi",
            "InsufficientMemory",
            "workers.resources.memory"));
    rows.add(
        schema(
            "{r: {librarySizeLimit: 0}}",
            "spec.r.librarySizeLimit in body should be greater than or equal to 1"));
    rows.add(unknown("{driver: {resources: {gpu: 1}}}", "spec.driver.resources.gpu"));
    rows.add(unknown("{driver: {cores: 4}}", "spec.driver.cores"));
    rows.add(
        operator(
            "{driver: {resources: {memory: 512Mi}}}",
            "InsufficientMemory",
            "driver.resources.memory 512Mi"));
    rows.add(
        operator(
            "{workers: {replicas: 1, resources: {memory: 1000Mi}}}",
            "InsufficientMemory",
            "workers.resources.memory 1000Mi"));
    rows.add(
        operator(
            "{workers: {replicas: 1, resources: {cpu: '2', cpuLimit: '1'}}}",
            "InvalidResources",
            "cpuLimit 1 is below cpu 2"));
    rows.add(
        operator("{driver: {resources: {cpu: '0'}}}", "InvalidResources", "cpu must be above 0"));
    // image
    rows.add(schema("{image: R-Executor:1}", "spec.image in body should match"));
    rows.add(schema("{image: ghcr.io/Org/img:1}", "spec.image in body should match"));
    rows.add(schema("{image: 'r executor:1'}", "spec.image in body should match"));
    rows.add(schema("{image: 'repo:tag:tag'}", "spec.image in body should match"));
    rows.add(schema("{image: 'img@sha256:abc'}", "spec.image in body should match"));
    rows.add(schema("{image: 'img:'}", "spec.image in body should match"));
    rows.add(schema("{image: 'a..b'}", "spec.image in body should match"));
    rows.add(
        schema(
            "{image: 'registry.example.com/" + "a".repeat(500) + "@sha256:" + DIGEST + "'}",
            "spec.image: Too long: may not be more than 512"));
    rows.add(
        schema(
            "{imagePullPolicy: Sometimes}",
            "spec.imagePullPolicy: Unsupported value: \"Sometimes\""));
    rows.add(schema("{imagePullSecrets: [{}]}", "spec.imagePullSecrets[0].name: Required value"));
    rows.add(
        schema(
            "{imagePullSecrets: [{name: ''}]}",
            "spec.imagePullSecrets[0].name in body should be at least 1 chars long"));
    rows.add(
        schema(
            "{imagePullSecrets: [{name: Regcred}]}",
            "spec.imagePullSecrets[0].name in body should match"));
    rows.add(
        schema(
            "{imagePullSecrets: " + SpecText.manyNames(17) + "}",
            "spec.imagePullSecrets: Too many: 17: must have at most 16 items"));
    // R packages and repos
    rows.add(
        schema(
            "{r: {packages: [data.table, 'xgboost; rm']}}",
            "spec.r.packages[1] in body should match"));
    rows.add(schema("{r: {packages: [9lives]}}", "spec.r.packages[0] in body should match"));
    rows.add(
        schema(
            "{r: {packages: " + SpecText.manyPackages(201) + "}}",
            "spec.r.packages: Too many: 201: must have at most 200 items"));
    rows.add(
        schema("{r: {repos: ['ftp://cran.example.org']}}", "spec.r.repos[0] in body should match"));
    rows.add(schema("{r: {repos: ['https://a b']}}", "spec.r.repos[0] in body should match"));
    rows.add(
        schema("{r: {librarySizeLimit: 4 GB}}", "spec.r.librarySizeLimit in body should match"));
    rows.add(
        schema(
            "{r: {sparklyrSessions: 0}}",
            "spec.r.sparklyrSessions in body should be greater than or equal to 1"));
    rows.add(
        schema(
            "{r: {sparklyrSessions: 10}}",
            "spec.r.sparklyrSessions in body should be less than or equal to 9"));
    rows.add(unknown("{r: {package: [data.table]}}", "spec.r.package"));
    rows.add(
        operator(
            "{r: {packages: [data.table, data.table]}}",
            "InvalidR",
            "r.packages lists 'data.table'"));
    rows.add(
        operator(
            "{r: {repos: ['https://a.example', 'https://a.example']}}",
            "InvalidR",
            "r.repos lists"));
    // idle stop and suspend
    rows.add(
        schema(
            "{autoTermination: {idleMinutes: 0}}",
            "spec.autoTermination.idleMinutes in body should be greater than or equal to 1"));
    rows.add(
        schema(
            "{autoTermination: {idleMinutes: 43201}}",
            "spec.autoTermination.idleMinutes in body should be less than or equal to 43200"));
    rows.add(schema("{autoTermination: {}}", "spec.autoTermination.idleMinutes: Required value"));
    rows.add(
        unknown("{autoTermination: {idleMinutes: 5, after: 1h}}", "spec.autoTermination.after"));
    rows.add(schema("{suspend: yes please}", "spec.suspend in body must be of type boolean"));
    rows.add(
        schema(
            "{connect: {enabled: 'on'}}", "spec.connect.enabled in body must be of type boolean"));
    // access
    rows.add(
        unknown(
            "{access: {clientSelector: {matchLabel: {a: b}}}}",
            "spec.access.clientSelector.matchLabel"));
    rows.add(
        schema(
            "{access: {clientSelector: {matchLabels: {a: 1}}}}",
            "spec.access.clientSelector.matchLabels.a in body must be of type string"));
    // sparkConf
    rows.add(
        cel(
            "{sparkConf: {executor.memory: 2g}}",
            "spec.sparkConf: Invalid value: sparkConf key 'executor.memory' must start with"
                + " 'spark.'",
            "InvalidSparkConf",
            "must start with 'spark.'"));
    rows.add(
        cel(
            "{sparkConf: {spark.master: 'local[2]'}}",
            "spec.sparkConf: Invalid value: sparkConf key 'spark.master' is set by the operator",
            "OperatorOwnedSparkConf",
            "spark.master"));
    rows.add(
        cel(
            "{sparkConf: {spark.connect.grpc.interceptor.classes: com.example.Open}}",
            "spec.sparkConf: Invalid value: sparkConf key 'spark.connect.grpc.interceptor.classes'"
                + " is set by the operator",
            "OperatorOwnedSparkConf",
            "spark.connect.grpc.interceptor.classes"));
    rows.add(
        cel(
            "{sparkConf: {spark.worker.ui.port: '9000'}}",
            "spec.sparkConf: Invalid value: sparkConf key 'spark.worker.ui.port' is set by the operator",
            "OperatorOwnedSparkConf",
            "spark.worker.ui.port"));
    rows.add(
        cel(
            "{sparkConf: {spark.master.rest.enabled: 'true'}}",
            "spec.sparkConf: Invalid value: sparkConf key 'spark.master.rest.enabled' is set by the operator",
            "OperatorOwnedSparkConf",
            "spark.master.rest.enabled"));
    rows.add(
        cel(
            "{sparkConf: {spark.authenticate.secret: x}}",
            "spec.sparkConf: Invalid value: sparkConf key 'spark.authenticate.secret' is set by the operator",
            "OperatorOwnedSparkConf",
            "spark.authenticate.secret"));
    rows.add(
        cel(
            "{sparkConf: {spark.kubernetes.namespace: x}}",
            "spec.sparkConf: Invalid value: sparkConf key 'spark.kubernetes.namespace' is set by the operator",
            "OperatorOwnedSparkConf",
            "spark.kubernetes.namespace"));
    rows.add(
        cel(
            "{sparkConf: {spark.submit.deployMode: cluster}}",
            "spec.sparkConf: Invalid value: sparkConf key 'spark.submit.deployMode' is set by the operator",
            "OperatorOwnedSparkConf",
            "spark.submit.deployMode"));
    rows.add(
        cel(
            "{sparkConf: {'spark.app.name x': y}}",
            "spec.sparkConf: Invalid value: sparkConf key 'spark.app.name x' must not contain whitespace",
            "InvalidSparkConf",
            "must not contain whitespace"));
    rows.add(
        cel(
            "{sparkConf: {'spark.a=b': y}}",
            "spec.sparkConf: Invalid value: sparkConf key 'spark.a=b' must not contain whitespace",
            "InvalidSparkConf",
            "must not contain whitespace"));
    rows.add(
        cel(
            "{sparkConf: {'spark.a:b': y}}",
            "spec.sparkConf: Invalid value: sparkConf key 'spark.a:b' must not contain whitespace",
            "InvalidSparkConf",
            "must not contain whitespace"));
    rows.add(
        cel(
            "{sparkConf: {\"spark.a\\\\b\": y}}",
            "spec.sparkConf: Invalid value: sparkConf key 'spark.a\\b' must not contain whitespace",
            "InvalidSparkConf",
            "must not contain whitespace"));
    rows.add(
        schema(
            "{sparkConf: {spark.sql.shuffle.partitions: 64}}",
            "spec.sparkConf.spark.sql.shuffle.partitions in body must be of type string"));
    rows.add(
        schema(
            "{sparkConf: " + SpecText.manyKeys("spark.k", 257) + "}",
            "spec.sparkConf: Too many: 257: must have at most 256 items"));
    rows.add(
        operator(
            "{sparkConf: {spark.app.name: \"a\\nspark.master=local\"}}",
            "InvalidSparkConf",
            "single line"));
    // env
    rows.add(
        cel(
            "{env: [{name: RSPARK_ROLE, value: w}]}",
            "spec.env: Invalid value: env names starting with RSPARK_ are reserved for the operator",
            "ReservedEnv",
            "RSPARK_ROLE"));
    rows.add(
        cel(
            "{env: [{value: nameless}]}",
            "spec.env: Invalid value: every env entry needs a name",
            "InvalidEnv",
            "every env entry needs a name"));
    rows.add(
        celEmptyString(
            "{env: [{name: '', value: empty}]}",
            "spec.env: Invalid value: every env entry needs a name",
            "InvalidEnv",
            "every env entry needs a name"));
    rows.add(unknown("{env: [{name: A, valu: x}]}", "spec.env[0].valu"));
    rows.add(
        schema(
            "{env: " + SpecText.manyEnv(129) + "}",
            "spec.env: Too many: 129: must have at most 128 items"));
    rows.add(operator("{env: [{name: 'MY VAR', value: x}]}", "InvalidEnv", "env name 'MY VAR'"));
    rows.add(operator("{env: [{name: 1ST, value: x}]}", "InvalidEnv", "env name '1ST'"));
    rows.add(
        operator("{env: [{name: SPARK_CONF_DIR, value: /x}]}", "ReservedEnv", "SPARK_CONF_DIR"));
    rows.add(
        operator(
            "{env: [{name: TZ, value: UTC}, {name: TZ, value: CET}]}",
            "InvalidEnv",
            "more than once"));
    // pod labels, annotations, scheduling
    rows.add(
        cel(
            "{podLabels: {rspark.io/x: y}}",
            "spec.podLabels: Invalid value: podLabels key 'rspark.io/x' is reserved for the operator",
            "ReservedLabel",
            "rspark.io/x"));
    rows.add(
        cel(
            "{podLabels: {app.kubernetes.io/name: y}}",
            "spec.podLabels: Invalid value: podLabels key 'app.kubernetes.io/name' is reserved for the"
                + " operator",
            "ReservedLabel",
            "app.kubernetes.io/name"));
    rows.add(
        cel(
            "{podAnnotations: {rspark.io/x: y}}",
            "spec.podAnnotations: Invalid value: podAnnotations key 'rspark.io/x' is reserved for the"
                + " operator",
            "ReservedLabel",
            "rspark.io/x"));
    rows.add(
        schema(
            "{podLabels: " + SpecText.manyKeys("k", 65) + "}",
            "spec.podLabels: Too many: 65: must have at most 64 items"));
    rows.add(operator("{podLabels: {'a b': x}}", "InvalidLabel", "podLabels key 'a b'"));
    rows.add(operator("{podLabels: {team: 'x y'}}", "InvalidLabel", "podLabels value of 'team'"));
    rows.add(operator("{nodeSelector: {'-bad': x}}", "InvalidLabel", "nodeSelector key '-bad'"));
    rows.add(
        operator("{podAnnotations: {'a/b/c': x}}", "InvalidLabel", "podAnnotations key 'a/b/c'"));
    rows.add(
        schema("{nodeSelector: {a: 1}}", "spec.nodeSelector.a in body must be of type string"));
    rows.add(
        schema(
            "{nodeSelector: " + SpecText.manyKeys("k", 65) + "}",
            "spec.nodeSelector: Too many: 65: must have at most 64 items"));
    rows.add(
        schema(
            "{priorityClassName: High-Priority}", "spec.priorityClassName in body should match"));
    rows.add(
        schema(
            "{priorityClassName: " + "p".repeat(254) + "}",
            "spec.priorityClassName: Too long: may not be more than 253"));
    rows.add(
        unknown("{tolerations: [{key: a, effects: NoSchedule}]}", "spec.tolerations[0].effects"));
    rows.add(
        schema(
            "{tolerations: [{key: a, tolerationSeconds: soon}]}",
            "spec.tolerations[0].tolerationSeconds in body must be of type integer"));
    rows.add(
        unknown(
            "{affinity: {nodeAffinity: {required: {}}}}", "spec.affinity.nodeAffinity.required"));
    rows.add(
        schema(
            "{affinity: {podAffinity: {preferredDuringSchedulingIgnoredDuringExecution:"
                + " [{weight: heavy}]}}}",
            "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight in"
                + " body must be of type integer"));
    rows.add(
        schema(
            "{affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {}}}}",
            "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution in body"
                + " must be of type array"));
    return named(rows);
  }

  private static List<Row> named(List<Row> rows) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      out.add(
          new Row(
              r.name() != null ? r.name() : "bad-" + i,
              r.spec(),
              r.layer(),
              r.serverMessage(),
              r.reason(),
              r.operatorMessage(),
              r.refusedBy120()));
    }
    return out;
  }

  private static Row schema(String spec, String serverMessage) {
    return new Row(null, spec, Layer.SCHEMA, serverMessage, null, null, false);
  }

  private static Row unknown(String spec, String field) {
    return new Row(
        null, spec, Layer.UNKNOWN_FIELD, "unknown field \"" + field + "\"", null, null, false);
  }

  private static Row cel(String spec, String serverMessage, String reason, String operatorMessage) {
    return new Row(null, spec, Layer.CEL, serverMessage, reason, operatorMessage, false);
  }

  /** A CEL row about an empty string, which Kubernetes 1.20 refuses as null. */
  private static Row celEmptyString(
      String spec, String serverMessage, String reason, String operatorMessage) {
    return new Row(null, spec, Layer.CEL, serverMessage, reason, operatorMessage, true);
  }

  private static Row operator(String spec, String reason, String operatorMessage) {
    return new Row(null, spec, Layer.OPERATOR, null, reason, operatorMessage, false);
  }

  /** A DNS subdomain that cannot name the driver Service: only CEL and the operator refuse it. */
  private static Row badName(String name) {
    return new Row(
        name,
        "{}",
        Layer.CEL,
        "<nil>: Invalid value: metadata.name must start with a letter",
        "InvalidName",
        "metadata.name '" + name + "'",
        false);
  }

  private static Row invalidObjectName(String name) {
    return new Row(
        name,
        "{}",
        Layer.SCHEMA,
        "metadata.name: Invalid value: \"" + name + "\": a lowercase RFC 1123 subdomain",
        null,
        null,
        false);
  }
}
