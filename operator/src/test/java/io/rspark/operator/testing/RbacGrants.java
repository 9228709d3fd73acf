package io.rspark.operator.testing;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.rspark.operator.runtime.OperatorPermissions;
import io.rspark.operator.runtime.OperatorPermissions.Rule;
import io.rspark.operator.runtime.OperatorPermissions.Scope;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * RBAC rules flattened to single grants (one verb on one resource of one group, maybe of one named
 * object), so that the chart's rules and {@link OperatorPermissions} compare as sets whatever way
 * either groups them.
 */
public final class RbacGrants {
  /** One verb on one resource; {@code name} is empty when not limited to one object. */
  public record Grant(String apiGroup, String resource, String name, String verb)
      implements Comparable<Grant> {
    @Override
    public int compareTo(Grant o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      return (apiGroup.isEmpty() ? "core" : apiGroup)
          + "/"
          + resource
          + (name.isEmpty() ? "" : "[" + name + "]")
          + ":"
          + verb;
    }
  }

  private RbacGrants() {}

  public static Set<Grant> of(Collection<PolicyRule> rules) {
    Set<Grant> grants = new TreeSet<>();
    for (PolicyRule rule : rules) {
      List<String> names =
          rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
              ? List.of("")
              : rule.getResourceNames();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String name : names) {
            for (String verb : rule.getVerbs()) {
              grants.add(new Grant(group, resource, name, verb));
            }
          }
        }
      }
    }
    return grants;
  }

  /** The grants {@code rules} need in {@code scope}. */
  public static Set<Grant> of(List<Rule> rules, Scope scope) {
    Set<Grant> grants = new TreeSet<>();
    for (Rule rule : rules) {
      if (rule.scope() != scope) {
        continue;
      }
      for (String verb : rule.verbs()) {
        grants.add(
            new Grant(rule.apiGroup(), rule.resource(), rule.resourceName().orElse(""), verb));
      }
    }
    return grants;
  }
}
