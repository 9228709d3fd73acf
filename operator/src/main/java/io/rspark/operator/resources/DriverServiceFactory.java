package io.rspark.operator.resources;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.rspark.operator.spark.PodContract;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's Service: the Spark master for workers, the UIs, the R bridge and (when enabled)
 * Spark Connect for port-forwards and the client pods spec.access admits. It publishes the driver
 * before it is ready, because workers must reach the master while the driver's readiness still
 * waits on them. It is headless: its name resolves to the driver pod's IP, so a cluster costs no
 * virtual IP (a namespace of many clusters would exhaust the service range) and Spark's connections
 * need no kube-proxy in between.
 */
public final class DriverServiceFactory {
  private DriverServiceFactory() {}

  public static Service create(ClusterModel model) {
    List<ServicePort> ports = new ArrayList<>();
    ports.add(port("spark-master", PodContract.MASTER_PORT));
    ports.add(port("master-ui", PodContract.MASTER_UI_PORT));
    ports.add(port("app-ui", PodContract.APP_UI_PORT));
    ports.add(port("sparklyr", PodContract.SPARKLYR_GATEWAY_PORT));
    ports.add(port("sparkr", PodContract.SPARKR_BACKEND_PORT));
    if (model.connect()) {
      ports.add(port("spark-connect", PodContract.CONNECT_PORT));
    }
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
        .withPorts(ports)
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
