package dev.vigil.parts;

import java.util.function.Supplier;

/**
 * The real parts of one JVM, each started on first use and stopped when the JVM exits (see {@link
 * ManagedProcess}). Tests reach them through {@code RealPartsExtension} (module {@code testing});
 * Quarkus test resources and the demo call these methods directly.
 */
public final class RealParts {
  private static final Lazy<OpenSearchNode> OPENSEARCH = new Lazy<>(OpenSearchNode::startPlain);
  private static final Lazy<OpenSearchNode> SECURED_OPENSEARCH =
      new Lazy<>(OpenSearchNode::startSecured);
  private static final Lazy<MotoServer> MOTO = new Lazy<>(MotoServer::start);
  private static final Lazy<KubeApiServer> KUBE = new Lazy<>(KubeApiServer::start);
  private static final Lazy<KubeNode> KUBE_NODE = new Lazy<>(KubeNode::start);

  private RealParts() {}

  public static OpenSearchNode openSearch() {
    return OPENSEARCH.get();
  }

  public static OpenSearchNode securedOpenSearch() {
    return SECURED_OPENSEARCH.get();
  }

  public static MotoServer moto() {
    return MOTO.get();
  }

  public static KubeApiServer kube() {
    return KUBE.get();
  }

  /** A one-node cluster that runs pods (needs root); separate from {@link #kube()}. */
  public static KubeNode kubeNode() {
    return KUBE_NODE.get();
  }

  /** Stops every part that was started, newest dependency last. */
  public static void stopAll() {
    KUBE_NODE.close();
    KUBE.close();
    MOTO.close();
    SECURED_OPENSEARCH.close();
    OPENSEARCH.close();
  }

  /**
   * Started once; a failed start is remembered so every test that needs the part fails with the
   * same reason.
   */
  private static final class Lazy<T extends AutoCloseable> {
    private final Supplier<T> starter;
    private T value;
    private RuntimeException failure;

    Lazy(Supplier<T> starter) {
      this.starter = starter;
    }

    synchronized T get() {
      if (failure != null) {
        throw failure;
      }
      if (value == null) {
        try {
          value = starter.get();
        } catch (RuntimeException e) {
          failure = e;
          throw e;
        }
      }
      return value;
    }

    synchronized void close() {
      if (value != null) {
        try {
          value.close();
        } catch (Exception e) {
          System.err.println("stopping " + value + " failed: " + e);
        }
        value = null;
      }
    }
  }
}
