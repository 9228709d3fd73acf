package io.rspark.operator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The generated CRD's {@code openAPIV3Schema} as a validator with the semantics of a current
 * Kubernetes apiserver, for tests. The 1.20 apiserver of the IT kit prunes unknown fields and
 * ignores CEL rules, so this checks what it cannot, in two steps:
 *
 * <ol>
 *   <li>JSON-schema validation (draft 4, as OpenAPI v3 schemas are) with Kubernetes' structural
 *       rules: an object without {@code additionalProperties} and without {@code
 *       x-kubernetes-preserve-unknown-fields} rejects unknown fields (as {@code
 *       fieldValidation=Strict} does on 1.25+), {@code x-kubernetes-int-or-string} accepts both,
 *       {@code apiVersion}/{@code kind}/{@code metadata} are implicit at the root, and {@code null}
 *       of a non-nullable field counts as absent (Kubernetes prunes it).
 *   <li>Every {@code x-kubernetes-validations} rule, evaluated with dev.cel on the value at its
 *       schema location ({@code self}); a rule that is false reports its {@code message}.
 *       Transition rules ({@code oldSelf}) are checked only by {@link #validateSpecUpdate}, on
 *       fields of objects present in both the old and the new value (as Kubernetes does).
 * </ol>
 *
 * <p>Errors read {@code "<path>: <message>"}, paths as Kubernetes writes them ({@code
 * spec.imagePullSecrets[0].name}).
 */
public final class CrdSchema {
  public static final String CRD_RESOURCE = "META-INF/fabric8/rsparkclusters.rspark.io-v1.yml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static CrdSchema generated;

  private final JsonNode crd;
  private final JsonNode openApi;
  private final Schema strict;
  private final Map<JsonNode, List<Rule>> rules = new IdentityHashMap<>();
  private final Map<JsonNode, List<Rule>> transitionRules = new IdentityHashMap<>();

  private record Rule(String rule, String message, CelRuntime.Program program) {}

  private CrdSchema(JsonNode crd) {
    this.crd = crd;
    this.openApi = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    if (!openApi.isObject()) {
      throw new IllegalArgumentException("The CRD has no openAPIV3Schema in its first version");
    }
    ObjectNode json = openApi.deepCopy();
    toJsonSchema(json);
    ObjectNode props = json.withObjectProperty("properties");
    props.putIfAbsent("apiVersion", JSON.objectNode().put("type", "string"));
    props.putIfAbsent("kind", JSON.objectNode().put("type", "string"));
    props.putIfAbsent("metadata", JSON.objectNode().put("type", "object"));
    this.strict = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(json);
    compileRules(openApi, "");
  }

  /** The CRD the crd-generator wrote into {@code target/classes} (the test classpath). */
  public static synchronized CrdSchema generated() {
    if (generated == null) {
      generated = of(generatedCrdText());
    }
    return generated;
  }

  /** Any CRD, given as YAML or JSON; its first version's schema is used. */
  public static CrdSchema of(String crdYamlOrJson) {
    return new CrdSchema(readYaml(crdYamlOrJson));
  }

  /** The text of the generated CRD, exactly as on the classpath. */
  public static String generatedCrdText() {
    try (InputStream in = CrdSchema.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(CRD_RESOURCE + " is not on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The whole CRD, parsed. */
  public JsonNode crd() {
    return crd;
  }

  /** The CRD's {@code openAPIV3Schema}, unchanged. */
  public JsonNode openApiSchema() {
    return openApi;
  }

  /** The CEL rules of the schema as {@code "<schema path>: <rule>"}; all of them compiled. */
  public List<String> celRules() {
    List<String> out = new ArrayList<>();
    collectRules(openApi, "", out);
    return out;
  }

  /** Errors of an RSparkCluster given as YAML or JSON; empty when it is valid. */
  public List<String> validate(String yamlOrJson) {
    return validate(readYaml(yamlOrJson));
  }

  /** Errors of an RSparkCluster given as a map (as from {@code Serialization} or a YAML parser). */
  public List<String> validate(Map<String, ?> object) {
    return validate((JsonNode) YAML.valueToTree(object));
  }

  /** Errors of an RSparkCluster whose spec is {@code specYamlOrJson}, with a valid envelope. */
  public List<String> validateSpec(String specYamlOrJson) {
    ObjectNode cluster = JSON.objectNode();
    cluster.put("apiVersion", RSparkCluster.GROUP + "/" + RSparkCluster.VERSION);
    cluster.put("kind", "RSparkCluster");
    cluster.putObject("metadata").put("name", "test");
    cluster.set("spec", readYaml(specYamlOrJson));
    return validate(cluster);
  }

  /**
   * Errors of an update of an RSparkCluster's spec from {@code oldSpec} to {@code newSpec}: those
   * of the new object, then the transition rules.
   */
  public List<String> validateSpecUpdate(String oldSpec, String newSpec) {
    List<String> errors = new ArrayList<>(validateSpec(newSpec));
    JsonNode oldValue = withoutNulls(readYaml(oldSpec), openApi.path("properties").path("spec"));
    JsonNode newValue = withoutNulls(readYaml(newSpec), openApi.path("properties").path("spec"));
    evaluateTransitionRules(
        openApi.path("properties").path("spec"), oldValue, newValue, "spec", errors);
    return errors;
  }

  private void evaluateTransitionRules(
      JsonNode schema, JsonNode oldValue, JsonNode newValue, String path, List<String> errors) {
    for (Rule r : transitionRules.getOrDefault(schema, List.of())) {
      try {
        Object result =
            r.program().eval(Map.of("self", toCel(newValue), "oldSelf", toCel(oldValue)));
        if (!Boolean.TRUE.equals(result)) {
          errors.add(path + ": " + r.message());
        }
      } catch (CelEvaluationException e) {
        errors.add(path + ": rule " + r.rule() + " failed to evaluate: " + e.getMessage());
      }
    }
    if (newValue.isObject() && oldValue.isObject()) {
      for (Map.Entry<String, JsonNode> f : newValue.properties()) {
        JsonNode sub = schema.path("properties").get(f.getKey());
        if (sub != null && oldValue.has(f.getKey())) {
          evaluateTransitionRules(
              sub, oldValue.get(f.getKey()), f.getValue(), join(path, f.getKey()), errors);
        }
      }
    }
  }

  /** Errors of an RSparkCluster as a Jackson tree. */
  public List<String> validate(JsonNode object) {
    JsonNode value = withoutNulls(object, openApi);
    List<String> errors = new ArrayList<>();
    for (Error e : strict.validate(value)) {
      String at = path(e.getInstanceLocation());
      JsonNode got = e.getInstanceNode();
      if ("additionalProperties".equals(e.getKeyword())) {
        errors.add("unknown field \"" + join(at, e.getProperty()) + "\"");
      } else if (got != null && got.isValueNode()) {
        errors.add(at + ": Invalid value " + got + ": " + e.getMessage());
      } else {
        errors.add(at + ": " + e.getMessage());
      }
    }
    evaluateRules(openApi, value, "", errors);
    return errors;
  }

  // --- step 1: OpenAPI v3 with Kubernetes semantics -> JSON schema draft 4 ---

  private static void toJsonSchema(ObjectNode s) {
    if (s.path("x-kubernetes-int-or-string").asBoolean() && !s.has("anyOf")) {
      s.putArray("anyOf").add(type("integer")).add(type("string"));
    }
    if (s.path("nullable").asBoolean() && s.path("type").isTextual()) {
      String type = s.get("type").asText();
      s.putArray("type").add(type).add("null");
    }
    boolean object = "object".equals(s.path("type").asText()) || s.has("properties");
    if (object
        && !s.has("additionalProperties")
        && !s.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      s.put("additionalProperties", false);
    }
    s.path("properties").forEach(p -> toJsonSchema((ObjectNode) p));
    if (s.get("items") instanceof ObjectNode items) {
      toJsonSchema(items);
    }
    if (s.get("additionalProperties") instanceof ObjectNode values) {
      toJsonSchema(values);
    }
    // Read above; draft 4 does not know them and the validator would warn about each.
    s.remove(
        s.propertyStream()
            .map(Map.Entry::getKey)
            .filter(k -> k.startsWith("x-kubernetes-") || k.equals("nullable"))
            .toList());
  }

  private static ObjectNode type(String type) {
    return JSON.objectNode().put("type", type);
  }

  /** Kubernetes drops null values of fields that are not nullable before it validates. */
  private static JsonNode withoutNulls(JsonNode value, JsonNode schema) {
    if (value.isObject()) {
      ObjectNode out = JSON.objectNode();
      for (Map.Entry<String, JsonNode> f : value.properties()) {
        JsonNode sub = childSchema(schema, f.getKey());
        if (!f.getValue().isNull() || sub.path("nullable").asBoolean()) {
          out.set(f.getKey(), withoutNulls(f.getValue(), sub));
        }
      }
      return out;
    }
    if (value.isArray()) {
      var out = JSON.arrayNode();
      value.forEach(v -> out.add(withoutNulls(v, schema.path("items"))));
      return out;
    }
    return value;
  }

  private static JsonNode childSchema(JsonNode schema, String field) {
    JsonNode sub = schema.path("properties").path(field);
    return sub.isMissingNode() ? schema.path("additionalProperties") : sub;
  }

  // --- step 2: x-kubernetes-validations with dev.cel ---

  private void compileRules(JsonNode schema, String path) {
    if (schema.has("x-kubernetes-validations")) {
      Cel cel =
          CelFactory.standardCelBuilder()
              .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
              .addCompilerLibraries(CelExtensions.strings())
              .addRuntimeLibraries(CelExtensions.strings())
              .addVar("self", celType(schema))
              .addVar("oldSelf", celType(schema))
              .build();
      List<Rule> compiled = new ArrayList<>();
      List<Rule> transitions = new ArrayList<>();
      for (JsonNode v : schema.get("x-kubernetes-validations")) {
        String rule = v.path("rule").asText();
        try {
          String message = v.path("message").asText("failed rule: " + rule);
          Rule r = new Rule(rule, message, cel.createProgram(cel.compile(rule).getAst()));
          (rule.contains("oldSelf") ? transitions : compiled).add(r);
        } catch (CelValidationException | CelEvaluationException e) {
          throw new IllegalStateException("CEL rule at " + path + " does not compile: " + rule, e);
        }
      }
      rules.put(schema, compiled);
      transitionRules.put(schema, transitions);
    }
    forEachChildSchema(schema, path, this::compileRules);
  }

  private void collectRules(JsonNode schema, String path, List<String> out) {
    rules.getOrDefault(schema, List.of()).forEach(r -> out.add(path + ": " + r.rule()));
    transitionRules.getOrDefault(schema, List.of()).forEach(r -> out.add(path + ": " + r.rule()));
    forEachChildSchema(schema, path, (s, p) -> collectRules(s, p, out));
  }

  private static void forEachChildSchema(
      JsonNode schema, String path, BiConsumer<JsonNode, String> action) {
    for (Map.Entry<String, JsonNode> f : schema.path("properties").properties()) {
      action.accept(f.getValue(), join(path, f.getKey()));
    }
    if (schema.path("items").isObject()) {
      action.accept(schema.get("items"), path + "[*]");
    }
    if (schema.path("additionalProperties").isObject()) {
      action.accept(schema.get("additionalProperties"), path + "[*]");
    }
  }

  private void evaluateRules(JsonNode schema, JsonNode value, String path, List<String> errors) {
    for (Rule r : rules.getOrDefault(schema, List.of())) {
      try {
        Object result = r.program().eval(Map.of("self", toCel(value)));
        if (!Boolean.TRUE.equals(result)) {
          errors.add(path + ": " + r.message());
        }
      } catch (CelEvaluationException e) {
        errors.add(path + ": rule " + r.rule() + " failed to evaluate: " + e.getMessage());
      }
    }
    if (value.isObject()) {
      for (Map.Entry<String, JsonNode> f : value.properties()) {
        JsonNode sub = schema.path("properties").get(f.getKey());
        if (sub != null) {
          evaluateRules(sub, f.getValue(), join(path, f.getKey()), errors);
        } else if (schema.path("additionalProperties").isObject()) {
          String at = path + "[" + f.getKey() + "]";
          evaluateRules(schema.get("additionalProperties"), f.getValue(), at, errors);
        }
      }
    } else if (value.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < value.size(); i++) {
        evaluateRules(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
      }
    }
  }

  /** The CEL type Kubernetes gives {@code self} there; objects are maps of dyn (close enough). */
  private static CelType celType(JsonNode s) {
    if (s.path("x-kubernetes-int-or-string").asBoolean()
        || s.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      return SimpleType.DYN;
    }
    return switch (s.path("type").asText()) {
      case "string" -> SimpleType.STRING;
      case "integer" -> SimpleType.INT;
      case "number" -> SimpleType.DOUBLE;
      case "boolean" -> SimpleType.BOOL;
      case "array" -> ListType.create(celType(s.path("items")));
      case "object" ->
          MapType.create(
              SimpleType.STRING,
              s.path("additionalProperties").isObject()
                  ? celType(s.get("additionalProperties"))
                  : SimpleType.DYN);
      default -> SimpleType.DYN;
    };
  }

  /** JSON as the Java values dev.cel takes: Long for integers, List, Map. */
  private static Object toCel(JsonNode v) {
    if (v.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      v.properties().forEach(f -> map.put(f.getKey(), toCel(f.getValue())));
      return map;
    }
    if (v.isArray()) {
      List<Object> list = new ArrayList<>();
      v.forEach(e -> list.add(toCel(e)));
      return list;
    }
    if (v.isIntegralNumber()) {
      return v.longValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    return v.asText();
  }

  // --- paths and parsing ---

  private static String path(NodePath at) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < at.getNameCount(); i++) {
      Object element = at.getElement(i);
      out.append(
          element instanceof Integer n ? "[" + n + "]" : (out.isEmpty() ? "" : ".") + element);
    }
    return out.isEmpty() ? "<root>" : out.toString();
  }

  private static String join(String path, String field) {
    return path.isEmpty() || path.equals("<root>") ? field : path + "." + field;
  }

  private static JsonNode readYaml(String text) {
    try {
      JsonNode node = YAML.readTree(text);
      return node == null || node.isMissingNode() ? JSON.objectNode() : node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not YAML or JSON: " + e.getOriginalMessage(), e);
    }
  }
}
