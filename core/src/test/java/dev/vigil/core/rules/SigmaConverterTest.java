package dev.vigil.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.rules.sigma.SigmaConverter;
import org.junit.jupiter.api.Test;

class SigmaConverterTest {
  private static final String HEAD =
      "title: t\nid: 1\nauthor: a\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n";

  private static String convert(String detection) {
    return new SigmaConverter(false).convert(HEAD + detection).query().toString();
  }

  @Test
  void mapsAndListsAndModifiersBecomeDsl() {
    assertThat(
            convert(
                "  sel:\n    eventName:\n      - A\n      - B\n    userAgent|contains: 'x*y'\n"
                    + "  condition: sel\n"))
        .isEqualTo(
            "{\"bool\":{\"filter\":[{\"bool\":{\"should\":[{\"term\":{\"eventName\":\"A\"}},"
                + "{\"term\":{\"eventName\":\"B\"}}],\"minimum_should_match\":1}},"
                + "{\"wildcard\":{\"userAgent\":{\"value\":\"*x*y*\"}}}]}}");
  }

  @Test
  void luceneSpecialCharactersNeedNoEscapingAndWildcardEscapesSurvive() {
    assertThat(convert("  sel:\n    userAgent|contains: 'Jersey/${v} (a:b)'\n  condition: sel\n"))
        .contains("\"*Jersey/${v} (a:b)*\"");
    assertThat(convert("  sel:\n    userAgent: 'a\\*b\\\\c'\n  condition: sel\n"))
        .isEqualTo("{\"term\":{\"userAgent\":\"a*b\\\\c\"}}");
    assertThat(convert("  sel:\n    userAgent|endswith: 'a\\*b'\n  condition: sel\n"))
        .isEqualTo("{\"wildcard\":{\"userAgent\":{\"value\":\"*a\\\\*b\"}}}");
  }

  @Test
  void conditionsOfAllKinds() {
    String det =
        "  sel_a:\n    eventName: A\n  sel_b:\n    eventName: B\n  filter:\n    errorCode: X\n";
    assertThat(convert(det + "  condition: 1 of sel_* and not filter\n"))
        .contains("should")
        .contains("must_not");
    assertThat(convert(det + "  condition: all of them\n")).contains("filter");
    assertThat(convert(det + "  condition: 2 of them\n")).contains("\"minimum_should_match\":2");
    assertThat(convert(det + "  condition: (sel_a or sel_b) and not filter\n"))
        .contains("must_not");
  }

  @Test
  void nullExistsCidrNumbersRegexAndBase64() {
    assertThat(convert("  s:\n    errorCode: null\n  condition: s\n"))
        .isEqualTo("{\"bool\":{\"must_not\":[{\"exists\":{\"field\":\"errorCode\"}}]}}");
    assertThat(convert("  s:\n    requestParameters.layers|exists: true\n  condition: s\n"))
        .isEqualTo("{\"prefix\":{\"requestParameters.layers\":\"\"}}");
    assertThat(convert("  s:\n    sourceIPAddress|cidr: 10.0.0.0/8\n  condition: s\n"))
        .isEqualTo("{\"term\":{\"source.ip\":\"10.0.0.0/8\"}}");
    assertThat(convert("  s:\n    userIdentity.arn|re: 'a.+b'\n  condition: s\n"))
        .isEqualTo("{\"regexp\":{\"userIdentity.arn\":{\"value\":\".*a[^\\n]+b.*\"}}}");
    assertThat(convert("  s:\n    userIdentity.arn|re|s: 'a.+b'\n  condition: s\n"))
        .isEqualTo("{\"regexp\":{\"userIdentity.arn\":{\"value\":\".*a.+b.*\"}}}");
    assertThat(convert("  s:\n    userIdentity.arn|re|m: '^a$'\n  condition: s\n"))
        .isEqualTo("{\"regexp\":{\"userIdentity.arn\":{\"value\":\"(.*\\n)?a(\\n.*)?\"}}}");
    assertThat(convert("  s:\n    userIdentity.arn|re: '^a|b$'\n  condition: s\n"))
        .isEqualTo("{\"regexp\":{\"userIdentity.arn\":{\"value\":\"a|b\"}}}");
    assertThat(convert("  s:\n    userAgent|base64: 'abc'\n  condition: s\n"))
        .isEqualTo("{\"term\":{\"userAgent\":\"YWJj\"}}");
    assertThat(convert("  s:\n    userAgent|base64offset|contains: 'http://'\n  condition: s\n"))
        .contains("*aHR0cDovL*")
        .contains("*h0dHA6Ly*")
        .contains("*odHRwOi8v*");
    assertThat(convert("  s:\n    errorMessage: 'Failed authentication'\n  condition: s\n"))
        .isEqualTo("{\"match_phrase\":{\"errorMessage\":\"Failed authentication\"}}");
  }

  @Test
  void unsupportedConstructsNameThemselvesAndTheirLine() {
    assertThatThrownBy(() -> convert("  s:\n    userAgent|nope: x\n  condition: s\n"))
        .hasMessage("line 9: the modifier 'nope' (userAgent|nope) is not supported");
    assertThatThrownBy(() -> convert("  s:\n    userAgent|expand: '%tools%'\n  condition: s\n"))
        .hasMessageContaining("line 9")
        .hasMessageContaining("%tools% has no values");
    assertThatThrownBy(() -> convert("  s:\n    userAgent|contains|m: x\n  condition: s\n"))
        .hasMessage(
            "line 9: userAgent|contains|m: the regular expression flags i, m and s only apply with re");
    assertThatThrownBy(() -> convert("  s:\n    eventTime|hour: 3\n  condition: s\n"))
        .hasMessageContaining("line 9")
        .hasMessageContaining("part of a timestamp");
    assertThatThrownBy(
            () ->
                new SigmaConverter(true)
                    .convert(
                        "title: t\nlogsource:\n  product: x\ndetection:\n  s:\n    - foo\n  condition: s\n"))
        .hasMessageContaining("line 5")
        .hasMessageContaining("--index");
    assertThatThrownBy(() -> convert("  s:\n    userAgent|re: '[\\D]'\n  condition: s\n"))
        .hasMessageContaining("line 9")
        .hasMessageContaining("\\D inside a character class");
    assertThatThrownBy(() -> convert("  s:\n    eventName: A\n  condition: s and x\n"))
        .hasMessageContaining("line 10")
        .hasMessageContaining("'x'");
    assertThatThrownBy(
            () ->
                new SigmaConverter(false)
                    .convert(
                        HEAD.replace("cloudtrail", "sysmon") + "  s:\n    a: b\n  condition: s\n"))
        .hasMessageContaining("line 4")
        .hasMessageContaining("--index");
  }

  @Test
  void fieldrefComparesTwoFieldsAndRefusesWhatItCannotCompareExactly() {
    assertThat(
            convert(
                "  s:\n    userIdentity.arn|fieldref: requestParameters.userName\n  condition: s\n"))
        .isEqualTo(
            "{\"vigil_field_equals\":{\"field\":\"userIdentity.arn\","
                + "\"other_field\":\"requestParameters.userName\"}}");
    assertThatThrownBy(
            () -> convert("  s:\n    userIdentity.arn|fieldref|contains: x\n  condition: s\n"))
        .hasMessage(
            "line 9: userIdentity.arn|fieldref|contains: fieldref with 'contains' is not supported"
                + " (only exact equality is)");
    assertThatThrownBy(
            () -> convert("  s:\n    errorMessage|fieldref: eventName\n  condition: s\n"))
        .hasMessageContaining("errorMessage is analyzed text");
    assertThatThrownBy(
            () ->
                new SigmaConverter(false)
                    .convert(
                        HEAD
                            + "  s:\n    user.name|fieldref: eventName\n"
                            + "  timeframe: 5m\n  condition: s | count() > 3\n"))
        .hasMessageContaining("count() with fieldref is not supported");
  }

  @Test
  void rawFieldsAcceptAnyLogsourceAndKeepNames() {
    String yaml =
        "title: t\nlogsource:\n  product: windows\ndetection:\n  s:\n    Image|endswith: '\\cmd.exe'\n"
            + "  condition: s\n";
    assertThat(new SigmaConverter(true).convert(yaml).query().toString())
        .isEqualTo("{\"wildcard\":{\"Image\":{\"value\":\"*\\\\\\\\cmd.exe\"}}}");
  }

  @Test
  void windashVariesOnlyTheCharacterThatStartsAFlag() {
    String q = convert("  s:\n    userAgent|windash|contains: ' -param-name'\n  condition: s\n");
    for (String dash : java.util.List.of("-", "/", "\u2013", "\u2014", "\u2015")) {
      assertThat(q).contains("\"* " + dash + "param-name*\"");
    }
    assertThat(q).doesNotContain("/param/name").doesNotContain("-param/name");
    // Written with '/', the value gets the dashes too; two flags vary independently (5 x 5).
    String two = convert("  s:\n    userAgent|windash: '/a /b'\n  condition: s\n");
    assertThat(two).contains("\"-a \u2014b\"").contains("\"\u2015a /b\"");
    assertThat(two.split("\"term\"", -1)).hasSize(26);
    // A dash inside a word, or a path separator, is no flag.
    assertThat(convert("  s:\n    userAgent|windash: 'a-b/c'\n  condition: s\n"))
        .isEqualTo("{\"term\":{\"userAgent\":\"a-b/c\"}}");
    assertThatThrownBy(
            () -> convert("  s:\n    userAgent|windash: '-a -b -c -d -e'\n  condition: s\n"))
        .hasMessageContaining("line 9")
        .hasMessageContaining("more than 4 flags");
  }

  @Test
  void aListOfConditionsMeansAnyOfThem() {
    String det = "  a:\n    eventName: A\n  b:\n    eventName: B\n";
    assertThat(convert(det + "  condition:\n    - a\n    - b\n"))
        .isEqualTo(convert(det + "  condition: a or b\n"));
    assertThat(convert(det + "  condition:\n    - a and not b\n    - b\n"))
        .isEqualTo(convert(det + "  condition: (a and not b) or b\n"));
    assertThatThrownBy(
            () -> convert(det + "  timeframe: 5m\n  condition:\n    - a\n    - b | count() > 3\n"))
        .hasMessageContaining("line 15")
        .hasMessageContaining("aggregation");
  }

  @Test
  void regexShorthandsBecomeClassesAndLuceneOperatorsAreEscaped() {
    assertThat(convert("  s:\n    userAgent|re: '^\\d+\\s\\w\\S$'\n  condition: s\n"))
        .isEqualTo(
            "{\"regexp\":{\"userAgent\":{\"value\":"
                + "\"[0-9]+[ \\t\\n\\r\\f\\u000B][0-9A-Za-z_][^ \\t\\n\\r\\f\\u000B]\"}}}");
    assertThat(convert("  s:\n    userAgent|re: '^[\\d.]+\"<x>$'\n  condition: s\n"))
        .isEqualTo("{\"regexp\":{\"userAgent\":{\"value\":\"[0-9.]+\\\\\\\"\\\\<x\\\\>\"}}}");
  }

  @Test
  void logsourcesFollowSigmaConventions() {
    java.util.Map<String, String> cases =
        java.util.Map.of(
            "  product: aws\n  service: guardduty\n", "guardduty",
            "  product: aws\n  service: vpcflowlogs\n", "vpcflow",
            "  category: network_connection\n", "vpcflow",
            "  product: aws\n  category: dns\n", "route53resolver",
            "  category: webserver\n", "alb",
            "  category: proxy\n", "alb",
            "  product: aws\n  service: waf\n", "waf");
    cases.forEach(
        (logsource, type) ->
            assertThat(
                    new SigmaConverter(false)
                        .convert(
                            "title: t\nlogsource:\n"
                                + logsource
                                + "detection:\n  s:\n    a: b\n  condition: s\n")
                        .logType()
                        .id())
                .as(logsource)
                .isEqualTo(type));
    assertThatThrownBy(
            () ->
                new SigmaConverter(false)
                    .convert(
                        "title: t\nlogsource:\n  product: windows\n  category: dns\n"
                            + "detection:\n  s:\n    a: b\n  condition: s\n"))
        .hasMessageContaining("line 2")
        .hasMessageContaining("--index");
  }

  @Test
  void sigmaTaxonomyFieldNamesResolveToVigilFields() {
    java.util.Map<String, String> cases =
        java.util.Map.of(
            "  category: network_connection\n", "{\"term\":{\"destination.port\":\"22\"}}",
            "  category: dns\n", "{\"term\":{\"query_name\":\"22.\"}}",
            "  category: webserver\n", "{\"term\":{\"http.request.method\":\"22\"}}");
    java.util.Map<String, String> field =
        java.util.Map.of(
            "  category: network_connection\n", "DestinationPort",
            "  category: dns\n", "query",
            "  category: webserver\n", "cs-method");
    cases.forEach(
        (logsource, query) ->
            assertThat(
                    new SigmaConverter(false)
                        .convert(
                            "title: t\nlogsource:\n"
                                + logsource
                                + "detection:\n  s:\n    "
                                + field.get(logsource)
                                + ": '22'\n  condition: s\n")
                        .query()
                        .toString())
                .isEqualTo(query));
    // ECS names Vigil writes, and names of other log types, stay as written.
    assertThat(convert("  s:\n    query: x\n  condition: s\n"))
        .isEqualTo("{\"term\":{\"query\":\"x\"}}");
  }

  @Test
  void dnsNamesMatchRoute53sFullyQualifiedForm() {
    String head = "title: t\nlogsource:\n  category: dns\ndetection:\n  s:\n    ";
    assertThat(
            new SigmaConverter(false)
                .convert(head + "query|endswith: '.evil.com'\n  condition: s\n")
                .query()
                .toString())
        .isEqualTo("{\"wildcard\":{\"query_name\":{\"value\":\"*.evil.com.\"}}}");
    assertThat(
            new SigmaConverter(false)
                .convert(head + "query: [evil.com, 'good.org.', 'x.*']\n  condition: s\n")
                .query()
                .toString())
        .contains("\"evil.com.\"")
        .contains("\"good.org.\"")
        .contains("\"x.\"");
    assertThat(
            new SigmaConverter(false)
                .convert(head + "query|contains: evil.com\n  condition: s\n")
                .query()
                .toString())
        .contains("\"*evil.com*\"");
  }

  @Test
  void wideEncodesAsUtf16BeforeBase64AndRegexFlagAliasesWork() {
    // base64 of "abc" as UTF-16LE (61 00 62 00 63 00) and UTF-16BE (00 61 00 62 00 63)
    assertThat(convert("  s:\n    userAgent|wide|base64: abc\n  condition: s\n"))
        .isEqualTo("{\"term\":{\"userAgent\":\"YQBiAGMA\"}}");
    assertThat(convert("  s:\n    userAgent|utf16be|base64: abc\n  condition: s\n"))
        .isEqualTo("{\"term\":{\"userAgent\":\"AGEAYgBj\"}}");
    assertThatThrownBy(() -> convert("  s:\n    userAgent|wide: abc\n  condition: s\n"))
        .hasMessageContaining("line 9")
        .hasMessageContaining("only apply with base64");
    assertThat(convert("  s:\n    userAgent|re|ignorecase: '^a$'\n  condition: s\n"))
        .isEqualTo(convert("  s:\n    userAgent|re|i: '^a$'\n  condition: s\n"));
    assertThat(convert("  s:\n    userAgent|re|s: '^a.b$'\n  condition: s\n"))
        .isEqualTo("{\"regexp\":{\"userAgent\":{\"value\":\"a.b\"}}}");
  }

  @Test
  void keywordsSearchEveryStringFieldOfTheMapping() {
    String q = convert("  keywords:\n    - 'evil tool'\n  condition: keywords\n");
    assertThat(q)
        .contains("{\"wildcard\":{\"userAgent\":{\"value\":\"*evil tool*\"}}}")
        .contains("{\"wildcard\":{\"requestParameters\":{\"value\":\"*evil tool*\"}}}")
        .contains("{\"match_phrase\":{\"errorMessage\":\"evil tool\"}}")
        .doesNotContain("eventTime")
        .doesNotContain("source.ip");
    // a wildcard inside the keyword leaves text fields out (no phrase can hold it)
    assertThat(convert("  keywords: 'evil*tool'\n  condition: keywords\n"))
        .contains("*evil*tool*")
        .doesNotContain("errorMessage");
    assertThat(convert("  s:\n    '|all': [a, b]\n  condition: s\n"))
        .startsWith("{\"bool\":{\"filter\"");
    assertThatThrownBy(() -> convert("  s:\n    '|re': a\n  condition: s\n"))
        .hasMessageContaining("line 9")
        .hasMessageContaining("'re' on keywords");
  }

  @Test
  void neqExpandAndUtf16() {
    assertThat(convert("  s:\n    eventName|neq: [A, B]\n  condition: s\n"))
        .isEqualTo(
            "{\"bool\":{\"must_not\":[{\"bool\":{\"should\":[{\"term\":{\"eventName\":\"A\"}},"
                + "{\"term\":{\"eventName\":\"B\"}}],\"minimum_should_match\":1}}]}}");
    String expanded =
        new SigmaConverter(false)
            .convert(
                HEAD.replace(
                        "detection:", "vigil-placeholders:\n  admins: [root, admin]\ndetection:")
                    + "  s:\n    userIdentity.userName|expand: '%admins%'\n  condition: s\n")
            .query()
            .toString();
    assertThat(expanded)
        .contains("{\"term\":{\"userIdentity.userName\":\"root\"}}")
        .contains("{\"term\":{\"userIdentity.userName\":\"admin\"}}");
    // utf16: UTF-16LE after the byte order mark FF FE, then base64
    assertThat(convert("  s:\n    userAgent|utf16|base64: 'ab'\n  condition: s\n"))
        .isEqualTo("{\"term\":{\"userAgent\":\"//5hAGIA\"}}");
  }
}
