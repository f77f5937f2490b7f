package dev.vigil.core.rules;

import dev.vigil.core.rules.FieldReader.Values;
import dev.vigil.core.rules.FieldTypes.FieldType;
import dev.vigil.core.rules.FieldTypes.Kind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A prepared range query: {@link QueryEvaluator}'s comparison, bounds parsed once. */
final class Range extends PreparedQuery {
  static final List<String> OPS = List.of("gt", "gte", "lt", "lte");

  /** One bound, parsed for the field's kind; a bound that does not parse fails when compared. */
  record Bound(String op, String text, BigDecimal number, Instant instant, RuntimeException error) {
    static Bound of(String op, String text, FieldType type, String field) {
      try {
        return switch (type.kind()) {
          case NUMBER -> new Bound(op, text, QueryEvaluator.number(text, field), null, null);
          case DATE -> new Bound(op, text, null, QueryEvaluator.instant(text, field), null);
          default -> new Bound(op, text, null, null, null);
        };
      } catch (RuntimeException e) {
        return new Bound(op, text, null, null, e);
      }
    }

    boolean holds(int c) {
      return switch (op) {
        case "gt" -> c > 0;
        case "gte" -> c >= 0;
        case "lt" -> c < 0;
        default -> c <= 0;
      };
    }
  }

  private final int field;
  private final String name;
  private final Kind kind;
  private final Bound[] bounds;

  Range(int field, String name, Kind kind, List<Bound> bounds) {
    this.field = field;
    this.name = name;
    this.kind = kind;
    this.bounds = bounds.toArray(Bound[]::new);
  }

  @Override
  public boolean test(Values doc) {
    for (int v = doc.first(field); v != 0; v = doc.next(v)) {
      String leaf = doc.text(v);
      boolean ok = true;
      for (Bound bound : bounds) {
        ok &= bound.holds(compare(leaf, bound));
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  private int compare(String leaf, Bound bound) {
    switch (kind) {
      case NUMBER -> {
        BigDecimal v = QueryEvaluator.numberOrNull(leaf);
        if (v == null) {
          return Integer.MIN_VALUE;
        }
        if (bound.error() != null) {
          throw bound.error();
        }
        return v.compareTo(bound.number());
      }
      case DATE -> {
        Instant v = QueryEvaluator.instant(leaf, name);
        if (bound.error() != null) {
          throw bound.error();
        }
        return v.compareTo(bound.instant());
      }
      case KEYWORD, FLAT_SUBPATH -> {
        return leaf.compareTo(bound.text());
      }
      default ->
          throw new RuleException("the in-memory evaluator does not support a range on " + name);
    }
  }

  @Override
  public boolean canThrow() {
    return bounds.length > 0
        && switch (kind) {
          case KEYWORD, FLAT_SUBPATH -> false;
          case NUMBER -> List.of(bounds).stream().anyMatch(b -> b.error() != null);
          default -> true;
        };
  }
}
