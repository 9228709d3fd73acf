package io.rspark.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.rspark.operator.config.OperatorConfig;
import io.rspark.operator.reconcile.OwnedInformers;
import io.rspark.operator.resources.DriverPermissions;
import io.rspark.operator.runtime.OperatorPermissions.Rule;
import io.rspark.operator.runtime.OperatorPermissions.Scope;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorPermissionsTest {
  private static final OperatorConfig DEFAULTS = OperatorConfig.withOverrides(Map.of());

  @Test
  void everyOwnedKindIsWatchedAndWritten() {
    List<Rule> rules = OperatorPermissions.required(DEFAULTS);

    for (Class<? extends HasMetadata> kind : OwnedInformers.OWNED_KINDS) {
      assertThat(rules)
          .filteredOn(r -> r.resource().equals(HasMetadata.getPlural(kind)))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.scope()).isEqualTo(Scope.WATCHED_NAMESPACES);
                assertThat(r.apiGroup()).isEqualTo(HasMetadata.getGroup(kind));
                assertThat(r.verbs()).contains("list", "watch", "create");
              });
    }
  }

  @Test
  void theRightsOfTheDefaultConfiguration() {
    assertThat(OperatorPermissions.required(DEFAULTS))
        .extracting(r -> r.scope() + " " + r.apiGroup() + "/" + r.resource() + " " + r.verbs())
        .containsExactlyInAnyOrder(
            "WATCHED_NAMESPACES rspark.io/rsparkclusters [list, watch]",
            "WATCHED_NAMESPACES rspark.io/rsparkclusters/status [patch]",
            "WATCHED_NAMESPACES /pods [create, delete, deletecollection, get, list, patch, watch]",
            "WATCHED_NAMESPACES /secrets [create, get, list, watch]",
            "WATCHED_NAMESPACES /configmaps [create, list, patch, watch]",
            "WATCHED_NAMESPACES /services [create, list, patch, watch]",
            "WATCHED_NAMESPACES networking.k8s.io/networkpolicies [create, list, patch, watch]",
            "WATCHED_NAMESPACES /serviceaccounts [create, list, patch, watch]",
            "WATCHED_NAMESPACES rbac.authorization.k8s.io/roles [create, list, patch, watch]",
            "WATCHED_NAMESPACES rbac.authorization.k8s.io/rolebindings [create, list, patch, watch]",
            "WATCHED_NAMESPACES /events [create]",
            "LEASE_NAMESPACE coordination.k8s.io/leases [create]",
            "LEASE_NAMESPACE coordination.k8s.io/leases [get, patch, update]");
  }

  @Test
  void leaseRightsFollowTheLeaseNameAndLeaderElection() {
    OperatorConfig named =
        OperatorConfig.withOverrides(Map.of(OperatorConfig.LEADER_ELECTION_LEASE.name(), "mine"));
    assertThat(OperatorPermissions.required(named))
        .filteredOn(r -> r.resourceName().isPresent())
        .singleElement()
        .satisfies(r -> assertThat(r.resourceName()).isEqualTo(Optional.of("mine")));

    OperatorConfig single =
        OperatorConfig.withOverrides(Map.of(OperatorConfig.LEADER_ELECTION.name(), "false"));
    assertThat(OperatorPermissions.required(single)).noneMatch(r -> r.resource().equals("leases"));
  }

  @Test
  void crdRightsOnlyWhenTheOperatorInstallsTheCrd() {
    assertThat(OperatorPermissions.required(DEFAULTS)).noneMatch(r -> r.scope() == Scope.CLUSTER);

    OperatorConfig installs =
        OperatorConfig.withOverrides(Map.of(OperatorConfig.INSTALL_CRDS.name(), "true"));
    assertThat(OperatorPermissions.required(installs))
        .filteredOn(r -> r.scope() == Scope.CLUSTER)
        .singleElement()
        .satisfies(r -> assertThat(r.resource()).isEqualTo("customresourcedefinitions"));
  }

  @Test
  void theOperatorHoldsEveryRightItGrantsADriver() {
    List<Rule> rules = OperatorPermissions.required(DEFAULTS);
    for (DriverPermissions.Grant grant : DriverPermissions.GRANTS) {
      assertThat(rules)
          .as(grant.resource())
          .anySatisfy(
              r -> {
                assertThat(r.apiGroup()).isEmpty();
                assertThat(r.resource()).isEqualTo(grant.resource());
                assertThat(r.resourceName()).isEmpty();
                assertThat(r.verbs()).containsAll(grant.verbs());
              });
    }
  }
}
