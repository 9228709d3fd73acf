package io.rspark.e2e;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One namespace and one operator for the whole e2e run, as a team would have: installed before the
 * first test class, uninstalled (and the namespace deleted) after the last. Test classes add their
 * clusters to it; every wait in them is bounded by {@code -Drspark.e2e.timeout}.
 */
final class E2eRun implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
  private static volatile E2eRun current;

  final Namespace ns;
  final OperatorInstall operator;

  private E2eRun(Namespace ns, OperatorInstall operator) {
    this.ns = ns;
    this.operator = operator;
  }

  /** For JUnit's registration only; the run is made in {@link #beforeAll}. */
  public E2eRun() {
    this(null, null);
  }

  static E2eRun current() {
    if (current == null) {
      throw new IllegalStateException("no e2e run: the test class needs @ExtendWith(E2eRun.class)");
    }
    return current;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(E2eRun.class, key -> start(), E2eRun.class);
  }

  private static E2eRun start() {
    Namespace ns = Namespace.create("rspark-e2e");
    try {
      current = new E2eRun(ns, OperatorInstall.install(ns.name));
    } catch (Exception e) {
      ns.delete();
      throw new IllegalStateException("the operator could not be installed", e);
    }
    return current;
  }

  @Override
  public void close() throws Exception {
    System.out.println("[rspark-e2e] operator log (tail):\n" + operator.log());
    try {
      operator.close();
    } finally {
      ns.delete();
      current = null;
    }
  }
}
