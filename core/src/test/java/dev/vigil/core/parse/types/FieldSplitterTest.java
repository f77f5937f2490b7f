package dev.vigil.core.parse.types;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldSplitterTest {
  @Test
  void splitsOnRunsOfSpacesIgnoringLeadingAndTrailingOnes() {
    FieldSplitter fields = new FieldSplitter(false, false);
    assertThat(fields.split("  a  b c ")).isEqualTo(3);
    assertThat(fields.get(0)).isEqualTo("a");
    assertThat(fields.get(2)).isEqualTo("c");
  }

  @Test
  void quotedAndBracketedFieldsKeepTheirSpaces() {
    FieldSplitter fields = new FieldSplitter(true, true);
    assertThat(fields.split("x [06/Feb/2019:00:00:38 +0000] \"GET / HTTP/1.1\" \"-\" y"))
        .isEqualTo(5);
    assertThat(fields.get(1)).isEqualTo("06/Feb/2019:00:00:38 +0000");
    assertThat(fields.get(2)).isEqualTo("GET / HTTP/1.1");
    assertThat(fields.get(3)).isEqualTo("-");
    assertThat(fields.get(4)).isEqualTo("y");
  }

  @Test
  void remembersHowEachFieldWasWritten() {
    FieldSplitter fields = new FieldSplitter(true, true);
    fields.split("a \"b c\" [d e] -");
    assertThat(fields.wrap(0)).isEqualTo(' ');
    assertThat(fields.wrap(1)).isEqualTo('"');
    assertThat(fields.wrap(2)).isEqualTo('[');
    assertThat(fields.wrap(3)).isEqualTo(' ');
  }

  @Test
  void quoteInsideAFieldOrEscapedDoesNotEndIt() {
    FieldSplitter fields = new FieldSplitter(true, false);
    assertThat(fields.split("\"Mozilla \"X\"Y\" next")).isEqualTo(2);
    assertThat(fields.get(0)).isEqualTo("Mozilla \"X\"Y");
    assertThat(fields.split("\"say \\\" hi\" next")).isEqualTo(2);
    assertThat(fields.get(0)).isEqualTo("say \\\" hi");
  }

  @Test
  void unterminatedQuoteIsAnErrorNamingTheField() {
    FieldSplitter fields = new FieldSplitter(true, false);
    assertThat(fields.split("a b \"GET / HTTP/1.1 c")).isEqualTo(-1);
    assertThat(fields.error()).contains("unterminated quote in field 3");
  }

  @Test
  void withoutQuoteSupportAQuoteIsOrdinaryText() {
    FieldSplitter fields = new FieldSplitter(false, false);
    assertThat(fields.split("\"a b\"")).isEqualTo(2);
  }
}
