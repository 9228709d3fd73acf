package io.rspark.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The Kubernetes semantics of {@link CrdSchema} on a small CRD that uses what ours does not. */
class CrdSchemaTest {
  private static final CrdSchema SCHEMA =
      CrdSchema.of(
          """
          spec:
            versions:
            - name: v1
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      properties:
                        port: {x-kubernetes-int-or-string: true,
                               anyOf: [{type: integer}, {type: string}]}
                        size: {x-kubernetes-int-or-string: true}
                        free: {type: object, x-kubernetes-preserve-unknown-fields: true}
                        note: {type: string, nullable: true}
                        items:
                          type: array
                          items:
                            type: object
                            required: [name]
                            properties:
                              name: {type: string}
                              min: {type: integer}
                              max: {type: integer}
                            x-kubernetes-validations:
                            - {rule: "self.min <= self.max", message: "min must not exceed max"}
                            - {rule: "self.name == oldSelf.name", message: "immutable"}
                      x-kubernetes-validations:
                      - rule: "!has(self.note) || self.note.lowerAscii() == self.note"
                      - {rule: "!has(self.items) || size(self.items) <= 2", message: "at most two items"}
          """);

  @Test
  void intOrStringTakesBothButNothingElse() {
    assertThat(SCHEMA.validateSpec("{port: 8080, size: 1}")).isEmpty();
    assertThat(SCHEMA.validateSpec("{port: http, size: 1Gi}")).isEmpty();
    assertThat(SCHEMA.validateSpec("{port: true}")).isNotEmpty();
    assertThat(SCHEMA.validateSpec("{size: [1]}")).isNotEmpty();
  }

  @Test
  void preservedObjectsKeepUnknownFieldsOthersRefuseThem() {
    assertThat(SCHEMA.validateSpec("{free: {anything: {goes: 1}}}")).isEmpty();
    assertThat(SCHEMA.validateSpec("{items: [{name: a, min: 1, max: 1, extra: 1}]}"))
        .containsExactly("unknown field \"spec.items[0].extra\"");
    assertThat(SCHEMA.validate("{spec: {}, extra: 1}")).containsExactly("unknown field \"extra\"");
  }

  @Test
  void nullIsAbsentUnlessNullable() {
    assertThat(SCHEMA.validateSpec("{note: null, port: null}")).isEmpty();
    assertThat(SCHEMA.validateSpec("{note: Upper}"))
        .containsExactly(
            "spec: failed rule: !has(self.note) || self.note.lowerAscii() == self.note");
  }

  @Test
  void celRulesRunAtTheirLocationTransitionRulesOnlyOnUpdates() {
    assertThat(
            SCHEMA.validateSpec("{items: [{name: a, min: 1, max: 2}, {name: b, min: 3, max: 2}]}"))
        .containsExactly("spec.items[1]: min must not exceed max");
    assertThat(SCHEMA.validateSpec("{items: [{name: a}, {name: b}, {name: c}]}"))
        .contains("spec: at most two items");
    assertThat(SCHEMA.celRules()).hasSize(4).contains("spec.items[*]: self.name == oldSelf.name");
    assertThat(SCHEMA.validateSpec("{items: [{name: a, min: 1, max: 2}]}")).isEmpty();
    // Items of a plain list are not correlated between old and new (nor are they in Kubernetes).
    assertThat(
            SCHEMA.validateSpecUpdate(
                "{items: [{name: a, min: 1, max: 2}]}", "{items: [{name: b, min: 1, max: 2}]}"))
        .isEmpty();
  }

  @Test
  void aRuleThatCannotEvaluateIsReported() {
    assertThat(SCHEMA.validateSpec("{items: [{name: a, min: 1}]}"))
        .singleElement()
        .asString()
        .startsWith("spec.items[0]: rule self.min <= self.max failed to evaluate");
  }

  @Test
  void aRuleThatDoesNotCompileFailsTheLoad() {
    assertThatThrownBy(
            () ->
                CrdSchema.of(
                    """
                    spec: {versions: [{schema: {openAPIV3Schema: {type: object,
                      x-kubernetes-validations: [{rule: "self.all(k, "}]}}}]}
                    """))
        .hasMessageContaining("does not compile");
  }
}
