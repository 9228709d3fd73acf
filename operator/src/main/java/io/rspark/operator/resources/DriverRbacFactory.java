package io.rspark.operator.resources;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.List;

/**
 * The identity of a {@code scheduler: kubernetes} driver: its own ServiceAccount, bound to a Role
 * in the cluster's namespace with exactly {@link DriverPermissions}. Nothing else mounts the
 * account's token; executor pods and standalone clusters get none.
 */
public final class DriverRbacFactory {
  private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

  private DriverRbacFactory() {}

  public static ServiceAccount serviceAccount(ClusterModel model) {
    return new ServiceAccountBuilder()
        .withMetadata(meta(model))
        // The driver pod asks for the token itself (automountServiceAccountToken on the pod).
        .withAutomountServiceAccountToken(false)
        .build();
  }

  public static io.fabric8.kubernetes.api.model.rbac.Role role(ClusterModel model) {
    return new RoleBuilder()
        .withMetadata(meta(model))
        .withRules(
            DriverPermissions.GRANTS.stream()
                .map(
                    g ->
                        new PolicyRuleBuilder()
                            .withApiGroups("")
                            .withResources(g.resource())
                            .withVerbs(List.copyOf(g.verbs()))
                            .build())
                .toList())
        .build();
  }

  public static RoleBinding roleBinding(ClusterModel model) {
    String name = ResourceNames.driverServiceAccount(model.cluster());
    return new RoleBindingBuilder()
        .withMetadata(meta(model))
        .withNewRoleRef(RBAC_GROUP, "Role", name)
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(name)
        .withNamespace(model.namespace())
        .endSubject()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.ObjectMeta meta(ClusterModel model) {
    return Owners.ownedMeta(
        model.cluster(),
        ResourceNames.driverServiceAccount(model.cluster()),
        Labels.forRole(model.cluster(), Role.DRIVER));
  }
}
