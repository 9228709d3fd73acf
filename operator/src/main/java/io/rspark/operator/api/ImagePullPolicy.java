package io.rspark.operator.api;

/** The values of a container's imagePullPolicy, spelled as Kubernetes spells them. */
public enum ImagePullPolicy {
  Always,
  IfNotPresent,
  Never
}
