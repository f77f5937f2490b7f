package dev.vigil.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.api.v1alpha1.DashboardStatus;
import dev.vigil.api.v1alpha1.DetectionRuleStatus;
import dev.vigil.api.v1alpha1.LogSourceStatus;
import dev.vigil.api.v1alpha1.NotificationChannelStatus;
import dev.vigil.api.v1alpha1.OpenSearchConnectionStatus;
import dev.vigil.api.v1alpha1.SnapshotPolicyStatus;
import dev.vigil.api.v1alpha1.VigilStatus;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The six statuses carried forward: with every field of a status set (found by reflection, so a
 * field added later is covered too), the next status has every one of them, equal and not shared.
 */
class StatusCarryTest {
  static Stream<Supplier<? extends VigilStatus>> statuses() {
    return Stream.of(
        OpenSearchConnectionStatus::new,
        LogSourceStatus::new,
        DetectionRuleStatus::new,
        NotificationChannelStatus::new,
        DashboardStatus::new,
        SnapshotPolicyStatus::new);
  }

  @ParameterizedTest
  @MethodSource("statuses")
  <S extends VigilStatus> void everyFieldIsCarriedForward(Supplier<S> fresh) throws Exception {
    S previous = fresh.get();
    fill(previous);
    previous.observedGeneration = 3L;
    assertThat(previous).usingRecursiveAssertion().hasNoNullFields();

    S next = StatusCarry.from(previous, fresh, 4L);

    assertThat(next).usingRecursiveAssertion().hasNoNullFields();
    assertThat(next)
        .usingRecursiveComparison()
        .ignoringFields("observedGeneration")
        .isEqualTo(previous);
    assertThat(next.observedGeneration).isEqualTo(4L);
    next.conditions.get(0).setStatus("False");
    assertThat(previous.conditions.get(0).getStatus()).isEqualTo("status-value");
  }

  @ParameterizedTest
  @MethodSource("statuses")
  <S extends VigilStatus> void aNewResourceStartsEmpty(Supplier<S> fresh) {
    S next = StatusCarry.from(null, fresh, 1L);

    assertThat(next.observedGeneration).isEqualTo(1L);
    assertThat(next.conditions).isEmpty();
  }

  /** Sets every instance field of {@code o}, nested objects and one-element lists included. */
  private static void fill(Object o) throws Exception {
    for (Class<?> c = o.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        f.setAccessible(true);
        f.set(o, value(f.getType(), f));
      }
    }
  }

  private static Object value(Class<?> type, Field f) throws Exception {
    if (type == String.class) {
      return f.getName() + "-value";
    } else if (type == Integer.class || type == int.class) {
      return 7;
    } else if (type == Long.class || type == long.class) {
      return 7L;
    } else if (type == Boolean.class || type == boolean.class) {
      return true;
    } else if (type == List.class) {
      Class<?> element =
          (Class<?>) ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
      List<Object> list = new ArrayList<>();
      list.add(value(element, f));
      return list;
    }
    Object nested = type.getDeclaredConstructor().newInstance();
    fill(nested);
    return nested;
  }
}
