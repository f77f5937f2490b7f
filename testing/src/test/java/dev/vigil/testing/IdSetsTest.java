package dev.vigil.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IdSetsTest {
  @Test
  void sameIdsInAnyOrderPass() {
    List<String> ids = IntStream.range(0, 200_000).mapToObj(i -> "i/" + (199_999 - i)).toList();
    assertThatCode(() -> IdSets.assertSame("all", ids, Set.copyOf(ids))).doesNotThrowAnyException();
  }

  @Test
  void missingExtraAndDuplicateIdsAreNamed() {
    assertThatThrownBy(
            () -> IdSets.assertSame("idx", List.of("a", "b", "b", "x"), Set.of("a", "b", "c")))
        .isInstanceOf(AssertionError.class)
        .hasMessage("idx: expected 3 ids, found 4; missing 1 [c], extra 1 [x], duplicates 1");
  }
}
