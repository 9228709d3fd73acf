package io.rspark.operator.runtime;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Creates or updates the RSparkCluster CRD from the jar and waits until the API serves it. */
public final class CrdInstaller {
  static final String CRD_RESOURCE = "META-INF/fabric8/rsparkclusters.rspark.io-v1.yml";

  private CrdInstaller() {}

  /**
   * A plain create-or-update, not server-side apply: applying a CRD that carries CEL rules fails on
   * API servers older than 1.25 (they do not know the field), while an update simply drops them.
   *
   * @return the CRD's name
   */
  public static String install(KubernetesClient client, Duration timeout) {
    CustomResourceDefinition crd = load(client);
    String name = crd.getMetadata().getName();
    try {
      client.resource(crd).unlock().createOr(NonDeletingOperation::update);
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(name)
          .waitUntilCondition(
              CrdInstaller::isEstablished, timeout.toMillis(), TimeUnit.MILLISECONDS);
      return name;
    } catch (KubernetesClientException e) {
      throw new StartupException(
          "Cannot install the CRD "
              + name
              + " ("
              + StartupException.rootMessage(e)
              + "); install it separately and set RSPARK_INSTALL_CRDS=false, or give the operator"
              + " the right to create and update CustomResourceDefinitions",
          e);
    }
  }

  static boolean isEstablished(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static CustomResourceDefinition load(KubernetesClient client) {
    try (InputStream in = CrdInstaller.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new StartupException(CRD_RESOURCE + " is missing from the operator's classpath");
      }
      return client.apiextensions().v1().customResourceDefinitions().load(in).item();
    } catch (IOException e) {
      throw new StartupException("Cannot read " + CRD_RESOURCE + " from the classpath", e);
    }
  }
}
