package dev.vigil.core.rules;

import dev.vigil.core.rules.FieldReader.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Prepared {@code vigil_field_equals}: any value of one field equals any value of the other. */
final class FieldEquals extends PreparedQuery {
  /** One side: its field id, and whether values compare as numbers (canonical form). */
  record Side(int field, boolean numeric) {
    List<String> values(Values doc) {
      List<String> raw = doc.of(field);
      if (!numeric) {
        return raw;
      }
      List<String> out = new ArrayList<>(raw.size());
      for (String text : raw) {
        BigDecimal n = QueryEvaluator.numberOrNull(text);
        out.add(n != null ? n.stripTrailingZeros().toPlainString() : text);
      }
      return out;
    }
  }

  private final Side left;
  private final Side right;

  FieldEquals(Side left, Side right) {
    this.left = left;
    this.right = right;
  }

  @Override
  public boolean test(Values doc) {
    List<String> r = right.values(doc);
    for (String l : left.values(doc)) {
      if (r.contains(l)) {
        return true;
      }
    }
    return false;
  }
}
