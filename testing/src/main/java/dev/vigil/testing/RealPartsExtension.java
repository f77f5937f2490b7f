package dev.vigil.testing;

import dev.vigil.parts.KubeApiServer;
import dev.vigil.parts.KubeNode;
import dev.vigil.parts.MotoServer;
import dev.vigil.parts.OpenSearchNode;
import dev.vigil.parts.RealParts;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the real parts into test constructors and methods: {@link OpenSearchNode} (add {@link
 * Secured} for the TLS + basic-auth node), {@link MotoServer}, {@link KubeApiServer} and {@link
 * KubeNode}. Each is started once per test JVM, on first request, and stopped by PID when the JVM
 * exits. A part that cannot start fails the test with the reason — it is never skipped.
 */
public final class RealPartsExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == OpenSearchNode.class
        || type == MotoServer.class
        || type == KubeApiServer.class
        || type == KubeNode.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == OpenSearchNode.class) {
      return parameter.isAnnotated(Secured.class)
          ? RealParts.securedOpenSearch()
          : RealParts.openSearch();
    }
    if (type == MotoServer.class) {
      return RealParts.moto();
    }
    if (type == KubeNode.class) {
      return RealParts.kubeNode();
    }
    return RealParts.kube();
  }
}
