package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;

/** The R side of the cluster: packages installed on every pod before Spark starts. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class RSpec {
  public static final String DEFAULT_REPO = "https://cloud.r-project.org";
  public static final int DEFAULT_SPARKLYR_SESSIONS = 8;

  /** sparklyr's backend ports start above its gateway's 8880; 8890 is the SparkR backend's. */
  public static final int MAX_SPARKLYR_SESSIONS = 9;

  @JsonPropertyDescription(
      "R packages installed into the cluster's R library on the driver and every worker before"
          + " Spark starts (an init container), so that R on the executors finds them. Changing the"
          + " list replaces the pods.")
  @Size(max = 200)
  public List<@Pattern(Patterns.R_PACKAGE) String> packages = new ArrayList<>();

  @JsonPropertyDescription(
      "Repositories (CRAN-like URLs) the packages are installed from, in order. Defaults to "
          + DEFAULT_REPO
          + ".")
  @Size(max = 16)
  public List<@Pattern(Patterns.HTTP_URL) String> repos = new ArrayList<>();

  @JsonPropertyDescription(
      "How many sparklyr sessions from outside the driver pod (kubectl rspark attach --sparklyr,"
          + " or pods selected by access.clientSelector) can be attached at once. Each session has"
          + " its own backend port, 8881 upwards (8881-8888 by default), which a port-forward must"
          + " forward with the same local number and the NetworkPolicy opens for client pods;"
          + " at most 9, the ports below the SparkR backend's 8890. Defaults to 8. When all are in"
          + " use, the bridge logs it and a new session from outside fails until one disconnects."
          + " Changing it replaces the driver pod.")
  @Min(1)
  @Max(MAX_SPARKLYR_SESSIONS)
  public Integer sparklyrSessions;

  @JsonPropertyDescription(
      "Size limit of the R library volume of each pod, a Kubernetes quantity such as \"4Gi\" or a"
          + " number of bytes. Defaults to 4Gi.")
  @Pattern(Patterns.MEMORY_QUANTITY)
  @Min(1)
  public Quantity librarySizeLimit;
}
