package io.rspark.operator.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rspark.operator.api.ComputeResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerSizingTest {

  @Test
  void defaultsWhenNothingIsAsked() {
    assertThat(ContainerSizing.of(null)).isEqualTo(new ContainerSizing("1", null, "2Gi"));
    assertThat(ContainerSizing.of(new ComputeResources()))
        .isEqualTo(new ContainerSizing("1", null, "2Gi"));
  }

  @Test
  void defaultsOnlyWhatIsNotSet() {
    ComputeResources onlyCpu = new ComputeResources("3", null);
    onlyCpu.cpuLimit = new Quantity("4");
    assertThat(ContainerSizing.of(onlyCpu)).isEqualTo(new ContainerSizing("3", "4", "2Gi"));
    assertThat(ContainerSizing.of(new ComputeResources(null, "8Gi")))
        .isEqualTo(new ContainerSizing("1", null, "8Gi"));
  }

  @Test
  void yamlIntegersAreQuantitiesLikeTheirStrings() {
    ComputeResources integers =
        Serialization.unmarshal(
            "cpu: 2\ncpuLimit: 3\nmemory: 4294967296\n", ComputeResources.class);
    ContainerSizing sizing = ContainerSizing.of(integers);
    assertThat(sizing).isEqualTo(new ContainerSizing("2", "3", "4294967296"));
    assertThat(sizing.sparkCores()).isEqualTo(2);
    assertThat(sizing.memoryMib()).isEqualTo(4096);
    assertThat(sizing.executorMemoryMib())
        .isEqualTo(new ContainerSizing("2", null, "4Gi").executorMemoryMib())
        .isEqualTo(2457);
  }

  @ParameterizedTest(name = "cpu {0} gives {1} Spark core(s)")
  @CsvSource({
    "500m, 1",
    "1, 1",
    "1000m, 1",
    "1001m, 2",
    "1.5, 2",
    "2.5, 3",
    "2, 2",
    "3.0, 3",
    "0.001, 1",
    "1m, 1",
    "0, 1",
    "64, 64",
  })
  void sparkCoresAreTheRequestRoundedUpAndAtLeastOne(String cpu, int cores) {
    assertThat(new ContainerSizing(cpu, null, "2Gi").sparkCores()).isEqualTo(cores);
  }

  @ParameterizedTest(name = "memory {0} is {1} MiB, executors get {2} MiB")
  @CsvSource({
    "1Gi, 1024, 614",
    "2Gi, 2048, 1228",
    "16Gi, 16384, 9830",
    "1024Mi, 1024, 614",
    "512Mi, 512, 307",
    "1.5Gi, 1536, 921",
    "1Ti, 1048576, 629145",
    "1073741824, 1024, 614",
    "1073741823, 1023, 613",
    // Decimal suffixes are powers of ten, rounded down to whole MiB.
    "1G, 953, 571",
    "4G, 3814, 2288",
    "1500M, 1430, 858",
    "2000000k, 1907, 1144",
  })
  void memoryInMibAndExecutorShare(String memory, long mib, long executorMib) {
    ContainerSizing sizing = new ContainerSizing("1", null, memory);

    assertThat(sizing.memoryMib()).isEqualTo(mib);
    assertThat(sizing.executorMemoryMib()).isEqualTo(executorMib).isEqualTo(mib * 6 / 10);
  }

  @Test
  void theSmallestAcceptedContainerGivesAnExecutorSparkAccepts() {
    ContainerSizing smallest =
        new ContainerSizing("1", null, ContainerSizing.MIN_MEMORY_MIB + "Mi");

    // Spark refuses executor heaps below 450 MiB (1.5 x its 300 MiB reserved memory).
    assertThat(smallest.executorMemoryMib()).isGreaterThanOrEqualTo(450);
  }
}
