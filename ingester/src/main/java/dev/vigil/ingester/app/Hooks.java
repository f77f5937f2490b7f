package dev.vigil.ingester.app;

import dev.vigil.ingester.detect.DetectionHook;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The detection hook: no-op unless another bean implements {@link DetectionHook}. */
@ApplicationScoped
public class Hooks {
  @Produces
  @DefaultBean
  @ApplicationScoped
  DetectionHook none() {
    return DetectionHook.NONE;
  }
}
