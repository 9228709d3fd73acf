package io.rspark.operator.reconcile;

/**
 * An object the cluster needs exists under its fixed name but is not controlled by the cluster (a
 * user's object, or another cluster's): the operator must neither adopt nor delete it, and cannot
 * make its own until the name is free.
 */
final class NameTakenException extends RuntimeException {
  private final String kind;
  private final String name;

  NameTakenException(String kind, String name) {
    super(
        kind
            + " "
            + name
            + " exists but is not controlled by this cluster; delete or rename it so that the"
            + " operator can create its own");
    this.kind = kind;
    this.name = name;
  }

  String kind() {
    return kind;
  }

  String name() {
    return name;
  }
}
