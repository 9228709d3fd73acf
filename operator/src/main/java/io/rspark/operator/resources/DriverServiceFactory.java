package io.rspark.operator.resources;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.rspark.operator.spark.PodContract;
import java.util.List;

/**
 * The driver's Service: the Spark master for workers, the UIs and the R bridge for port-forwards.
 * It publishes the driver before it is ready, because workers must reach the master while the
 * driver's readiness still waits on them. It is headless: its name resolves to the driver pod's IP,
 * so a cluster costs no virtual IP (a namespace of many clusters would exhaust the service range)
 * and Spark's connections need no kube-proxy in between.
 */
public final class DriverServiceFactory {
  private DriverServiceFactory() {}

  public static Service create(ClusterModel model) {
    return new ServiceBuilder()
        .withMetadata(
            Owners.ownedMeta(
                model.cluster(),
                ResourceNames.driverService(model.cluster()),
                Labels.forRole(model.cluster(), Role.DRIVER)))
        .withNewSpec()
        .withType("ClusterIP")
        .withClusterIP("None")
        .withSelector(Labels.selector(model.cluster(), Role.DRIVER))
        .withPublishNotReadyAddresses(true)
        .withPorts(
            List.of(
                port("spark-master", PodContract.MASTER_PORT),
                port("master-ui", PodContract.MASTER_UI_PORT),
                port("app-ui", PodContract.APP_UI_PORT),
                port("sparklyr", PodContract.SPARKLYR_GATEWAY_PORT),
                port("sparkr", PodContract.SPARKR_BACKEND_PORT)))
        .endSpec()
        .build();
  }

  private static ServicePort port(String name, int port) {
    return new ServicePortBuilder()
        .withName(name)
        .withPort(port)
        .withNewTargetPort(name)
        .withProtocol("TCP")
        .build();
  }
}
