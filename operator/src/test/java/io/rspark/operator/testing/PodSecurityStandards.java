package io.rspark.operator.testing;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every check of the Pod Security Standards "restricted" profile (which includes "baseline"), as
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/ lists them, applied to a pod
 * spec. Returns the violations; an empty list means the pod would be admitted by a namespace that
 * enforces restricted.
 */
public final class PodSecurityStandards {
  private static final Set<String> RESTRICTED_VOLUME_TYPES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");
  private static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");

  private PodSecurityStandards() {}

  public static List<String> restrictedViolations(PodSpec spec) {
    List<String> v = new ArrayList<>();
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      v.add("hostNetwork must not be true");
    }
    if (Boolean.TRUE.equals(spec.getHostPID())) {
      v.add("hostPID must not be true");
    }
    if (Boolean.TRUE.equals(spec.getHostIPC())) {
      v.add("hostIPC must not be true");
    }
    for (Volume volume : spec.getVolumes()) {
      String type = volumeType(volume);
      if (!RESTRICTED_VOLUME_TYPES.contains(type)) {
        v.add("volume " + volume.getName() + " has type " + type + ", not allowed");
      }
    }
    PodSecurityContext pod = spec.getSecurityContext();
    if (pod != null) {
      if (pod.getSysctls() != null) {
        pod.getSysctls().stream()
            .filter(s -> !SAFE_SYSCTLS.contains(s.getName()))
            .forEach(s -> v.add("sysctl " + s.getName() + " is not safe"));
      }
      if (pod.getRunAsUser() != null && pod.getRunAsUser() == 0) {
        v.add("pod runAsUser must not be 0");
      }
      checkSeccomp("pod", pod.getSeccompProfile(), v);
      if (pod.getSeLinuxOptions() != null) {
        checkSeLinux("pod", pod.getSeLinuxOptions(), v);
      }
    }
    boolean podNonRoot = pod != null && Boolean.TRUE.equals(pod.getRunAsNonRoot());
    boolean podSeccomp = pod != null && pod.getSeccompProfile() != null;
    List<Container> containers =
        Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream()).toList();
    for (Container c : containers) {
      String where = "container " + c.getName();
      SecurityContext sc = c.getSecurityContext();
      for (ContainerPort port : c.getPorts()) {
        if (port.getHostPort() != null && port.getHostPort() != 0) {
          v.add(where + " uses hostPort " + port.getHostPort());
        }
      }
      if (sc == null) {
        v.add(where + " has no securityContext (allowPrivilegeEscalation and capabilities unset)");
        if (!podNonRoot) {
          v.add(where + " may run as root");
        }
        if (!podSeccomp) {
          v.add(where + " has no seccomp profile");
        }
        continue;
      }
      if (Boolean.TRUE.equals(sc.getPrivileged())) {
        v.add(where + " is privileged");
      }
      if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        v.add(where + " must set allowPrivilegeEscalation: false");
      }
      if (!(podNonRoot || Boolean.TRUE.equals(sc.getRunAsNonRoot()))
          || Boolean.FALSE.equals(sc.getRunAsNonRoot())) {
        v.add(where + " must run as non-root (runAsNonRoot: true)");
      }
      if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
        v.add(where + " runAsUser must not be 0");
      }
      if (sc.getSeccompProfile() != null) {
        checkSeccomp(where, sc.getSeccompProfile(), v);
      } else if (!podSeccomp) {
        v.add(where + " has no seccomp profile (RuntimeDefault or Localhost)");
      }
      Capabilities caps = sc.getCapabilities();
      if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
        v.add(where + " must drop ALL capabilities");
      }
      if (caps != null && caps.getAdd() != null) {
        caps.getAdd().stream()
            .filter(a -> !a.equals("NET_BIND_SERVICE"))
            .forEach(a -> v.add(where + " adds capability " + a));
      }
      if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
        v.add(where + " procMount must be Default");
      }
      if (sc.getSeLinuxOptions() != null) {
        checkSeLinux(where, sc.getSeLinuxOptions(), v);
      }
      if (sc.getWindowsOptions() != null
          && Boolean.TRUE.equals(sc.getWindowsOptions().getHostProcess())) {
        v.add(where + " must not be a Windows host process");
      }
    }
    return v;
  }

  private static void checkSeccomp(String where, SeccompProfile profile, List<String> v) {
    if (profile != null
        && !"RuntimeDefault".equals(profile.getType())
        && !"Localhost".equals(profile.getType())) {
      v.add(
          where + " seccomp profile must be RuntimeDefault or Localhost, not " + profile.getType());
    }
  }

  private static void checkSeLinux(
      String where, io.fabric8.kubernetes.api.model.SELinuxOptions options, List<String> v) {
    Set<String> allowedTypes = Set.of("", "container_t", "container_init_t", "container_kvm_t");
    if (options.getType() != null && !allowedTypes.contains(options.getType())) {
      v.add(where + " SELinux type " + options.getType() + " is not allowed");
    }
    if (options.getUser() != null && !options.getUser().isEmpty()) {
      v.add(where + " must not set an SELinux user");
    }
    if (options.getRole() != null && !options.getRole().isEmpty()) {
      v.add(where + " must not set an SELinux role");
    }
  }

  private static String volumeType(Volume volume) {
    if (volume.getConfigMap() != null) {
      return "configMap";
    }
    if (volume.getSecret() != null) {
      return "secret";
    }
    if (volume.getEmptyDir() != null) {
      return "emptyDir";
    }
    if (volume.getProjected() != null) {
      return "projected";
    }
    if (volume.getDownwardAPI() != null) {
      return "downwardAPI";
    }
    if (volume.getPersistentVolumeClaim() != null) {
      return "persistentVolumeClaim";
    }
    if (volume.getCsi() != null) {
      return "csi";
    }
    if (volume.getEphemeral() != null) {
      return "ephemeral";
    }
    if (volume.getHostPath() != null) {
      return "hostPath";
    }
    return "other";
  }
}
