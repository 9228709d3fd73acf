package io.rspark.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** The R side of the cluster: packages installed on every pod before Spark starts. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class RSpec {
  public static final String DEFAULT_REPO = "https://cloud.r-project.org";

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
      "Size limit of the R library volume of each pod, a Kubernetes quantity. Defaults to 4Gi.")
  @Pattern(Patterns.MEMORY_QUANTITY)
  public String librarySizeLimit;
}
