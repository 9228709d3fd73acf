package io.rspark.operator.runtime;

import io.rspark.operator.config.ConfigOption;
import io.rspark.operator.config.OperatorConfig;

/** The text of {@code --help}: every option of {@link OperatorConfig#OPTIONS} and the endpoints. */
public final class Usage {
  private Usage() {}

  public static String text() {
    StringBuilder out = new StringBuilder();
    out.append(
        """
        Usage: java -jar rspark-operator.jar [--help]

        Runs the rspark operator against the current kube context (KUBECONFIG, ~/.kube/config, or
        the pod's service account). Each option below is read from its system property
        (java -Dname=value -jar ...) or, failing that, from its environment variable.

        Options:
        """);
    for (ConfigOption<?> option : OperatorConfig.OPTIONS) {
      out.append("  ")
          .append(option.name())
          .append("  (env ")
          .append(option.envName())
          .append(", default '")
          .append(option.defaultValue())
          .append("')\n      ")
          .append(option.description())
          .append('\n');
    }
    out.append(
        """

        Endpoints:
          :<rspark.health.port>/healthz   200 while the operator runs (liveness)
          :<rspark.health.port>/readyz    200 once started with all event sources healthy
          :<rspark.metrics.port>/metrics  Prometheus text format

        Exit status: 0 after --help, 1 when the operator cannot start or loses its leader Lease,
        2 for an invalid option value or argument, 143 after SIGTERM.
        """);
    return out.toString();
  }
}
