package dev.vigil.core.parse.types;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.parse.DocumentBuilder;
import dev.vigil.core.parse.JsonRecordReader;
import dev.vigil.core.parse.LogParser;
import dev.vigil.core.parse.ParseContext;
import dev.vigil.core.parse.RecordCounter;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Shared reading of finding logs (Security Hub, GuardDuty), which come few and large: a bare
 * finding, an array of findings, an object holding a {@code findings}/{@code Findings} array (API
 * responses, Security Hub EventBridge events in {@code detail.findings}) or an EventBridge event
 * with one finding in {@code detail}; several of these may follow each other in one object. The
 * outer shapes are streamed; each finding is read as a tree (bounded by the size of one finding),
 * checked, and written out with its ECS fields.
 *
 * <p>Damage in a findings array costs only the damaged finding: after malformed JSON, reading
 * resumes at the next complete finding of the array (see {@link JsonRecordReader#resumeInArray}),
 * and the skipped bytes are one rejection saying how many bytes and findings they held.
 */
abstract class FindingsParser implements LogParser {
  static final ObjectMapper TREES =
      new ObjectMapper().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

  @Override
  public void parse(InputStream content, ParseContext context) throws IOException {
    RecordCounter record = new RecordCounter();
    try (JsonRecordReader reader = new JsonRecordReader(content)) {
      while (true) {
        try {
          JsonToken token = reader.nextRoot();
          if (token == null) {
            return;
          }
          if (token == JsonToken.START_ARRAY) {
            findings(reader, context, record);
          } else if (token == JsonToken.START_OBJECT) {
            long offset = reader.offset();
            Scan root = scan(reader, context, record, true, this);
            if (!root.streamedFindings) {
              root.handler.object(root.rest, context, record.next(), offset);
              record.done();
            }
          } else {
            long offset = reader.offset();
            context.reject(
                record.next(),
                offset,
                "expected a finding, an array of findings or an EventBridge event, found "
                    + Support.describe(token));
            record.done();
          }
        } catch (JsonProcessingException e) {
          JsonRecordReader.ArrayMark array = reader.markedArray();
          if (array != null) {
            // Damage after the last complete finding (garbage that closed the array early, say):
            // the array may still go on.
            JsonRecordReader.Skip skip =
                reader.resumeInArray(
                    array, array.afterLastElement(), -1, FindingsParser::looksLikeFinding, e);
            Support.rejectSkipped(context, record.failed(), skip, "finding");
            continue;
          }
          long line = reader.rootLine();
          long offset = reader.rootOffset();
          long resumed = reader.recover();
          context.reject(record.failed(), offset, Support.malformed(line, e, resumed));
        } catch (Abandoned resumed) {
          // The damage is rejected; reading goes on at the next root value.
        }
      }
    }
  }

  /**
   * Thrown after damage in a findings array, once reading was resumed elsewhere: the root value
   * being read is abandoned.
   */
  private static final class Abandoned extends IOException {
    Abandoned() {
      super("abandoned after damage", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /**
   * Whether an object met while resynchronising after damage is a finding (ASFF or GuardDuty's),
   * not a part of one such as a resource: it has its identifying fields.
   */
  static boolean looksLikeFinding(JsonNode node) {
    return (node.path("Id").isTextual() && node.path("ProductArn").isTextual())
        || (node.path("id").isTextual() && node.path("type").isTextual() && node.has("accountId"));
  }

  /**
   * A root object that did not hold an array of findings: a bare finding, an EventBridge event with
   * the finding in {@code detail}, or an envelope that lacks its findings (a rejection).
   */
  abstract void object(ObjectNode root, ParseContext context, long record, long offset)
      throws IOException;

  /** One finding (an element of a findings array, or a bare finding). */
  abstract void finding(ObjectNode finding, ParseContext context, long record, long offset)
      throws IOException;

  /**
   * The parser for an EventBridge event of this {@code source}: the sibling's when the event comes
   * from the other findings service (one EventBridge rule and Firehose stream may carry both, so an
   * object's first event does not decide for the rest), else this one.
   */
  private FindingsParser forSource(JsonNode source) {
    String name = source != null && source.isTextual() ? source.textValue() : null;
    if (name == null || type().equals(Siblings.SOURCES.get(name))) {
      return this;
    }
    FindingsParser sibling = Siblings.PARSERS.get(Siblings.SOURCES.get(name));
    return sibling != null ? sibling : this;
  }

  /** The findings parsers by the EventBridge source of their events. */
  private static final class Siblings {
    static final Map<String, dev.vigil.core.LogType> SOURCES =
        Map.of(
            "aws.guardduty", dev.vigil.core.LogType.GUARDDUTY,
            "aws.securityhub", dev.vigil.core.LogType.SECURITYHUB);
    static final Map<dev.vigil.core.LogType, FindingsParser> PARSERS =
        Map.of(
            dev.vigil.core.LogType.GUARDDUTY, new GuardDutyParser(),
            dev.vigil.core.LogType.SECURITYHUB, new SecurityHubParser());
  }

  private static final byte[] NO_SIBLINGS = new byte[0];

  /**
   * The elements of a findings array (its START_ARRAY read), each read on its own: one that is not
   * an object is rejected alone once what follows shows it was an element (a quote in garbage may
   * have swallowed the start of the next finding into a "string"), and malformed JSON costs only
   * the bytes up to the next finding.
   */
  private void findings(JsonRecordReader reader, ParseContext context, RecordCounter record)
      throws IOException {
    JsonRecordReader.ArrayMark array = reader.markArray(() -> NO_SIBLINGS);
    JsonParser in = reader.parser();
    long stray = -1; // where an element that is no object starts, until what follows is read
    JsonToken strayToken = null;
    while (true) {
      long element = -1;
      ObjectNode finding = null;
      JsonToken token;
      try {
        token = in.nextToken();
        if (stray >= 0) {
          context.reject(
              record.next(),
              stray,
              "finding must be a JSON object, found " + Support.describe(strayToken));
          record.done();
          stray = -1;
        }
        if (token == JsonToken.END_ARRAY) {
          return;
        }
        element = reader.offset();
        if (token == JsonToken.START_OBJECT) {
          finding = (ObjectNode) TREES.readTree(in);
        } else {
          in.skipChildren();
        }
        reader.elementRead();
      } catch (JsonProcessingException e) {
        long from = element >= 0 ? element : stray >= 0 ? stray : array.afterLastElement();
        JsonRecordReader.Skip skip =
            reader.resumeInArray(array, from, element, FindingsParser::looksLikeFinding, e);
        Support.rejectSkipped(context, record.failed(), skip, "finding");
        throw new Abandoned();
      }
      if (finding == null) {
        stray = element;
        strayToken = token;
        continue;
      }
      finding(finding, context, record.next(), element);
      record.done();
    }
  }

  private record Scan(ObjectNode rest, boolean streamedFindings, FindingsParser handler) {}

  /**
   * Reads an object, streaming any {@code findings}/{@code Findings} array in it (and, at the top,
   * in its {@code detail} object) and keeping every other field as a tree.
   */
  private Scan scan(
      JsonRecordReader reader,
      ParseContext context,
      RecordCounter record,
      boolean top,
      FindingsParser handler)
      throws IOException {
    JsonParser in = reader.parser();
    ObjectNode rest = TREES.createObjectNode();
    boolean streamed = false;
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String name = in.currentName();
      JsonToken value = in.nextToken();
      if ((name.equals("findings") || name.equals("Findings")) && value == JsonToken.START_ARRAY) {
        handler.findings(reader, context, record);
        streamed = true;
      } else if (top && name.equals("detail") && value == JsonToken.START_OBJECT) {
        // EventBridge writes source before detail.
        handler = handler.forSource(rest.get("source"));
        Scan detail = scan(reader, context, record, false, handler);
        streamed |= detail.streamedFindings;
        if (!detail.streamedFindings) {
          rest.set(name, detail.rest);
        }
      } else {
        JsonNode node = TREES.readTree(in);
        rest.set(name, node == null ? NullNode.getInstance() : node);
      }
    }
    return new Scan(rest, streamed, handler);
  }

  /** Starts the document and writes every field of the finding into it. */
  static void writeFinding(DocumentBuilder doc, ObjectNode finding) throws IOException {
    JsonGenerator out = doc.start();
    for (Iterator<Map.Entry<String, JsonNode>> it = finding.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      doc.fieldName(field.getKey());
      TREES.writeTree(out, field.getValue());
    }
  }

  /** The text of a string field, or null. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() && !value.textValue().isEmpty()
        ? value.textValue()
        : null;
  }

  /**
   * A root whose "findings"/"Findings" is present but not an array (arrays were unwrapped before):
   * rejected with the reason, and true returned. False when the root has no such field, so it is a
   * finding itself.
   */
  static boolean rejectedMisshapedFindingsList(
      JsonNode root, ParseContext context, long record, long offset) {
    for (String wrapper : List.of("Findings", "findings")) {
      if (root.has(wrapper)) {
        context.reject(
            record,
            offset,
            wrapper + " must be an array of findings, found " + kind(root.get(wrapper)));
        return true;
      }
    }
    return false;
  }

  /**
   * Rejects a finding with problems as "not a valid {@code kind} finding (idField id): problems"
   * and returns true; returns false when there are none.
   */
  static boolean rejectedInvalid(
      JsonNode finding,
      String kind,
      String idField,
      List<String> problems,
      ParseContext context,
      long record,
      long offset) {
    if (problems.isEmpty()) {
      return false;
    }
    String id = text(finding, idField);
    context.reject(
        record,
        offset,
        "not a valid "
            + kind
            + " finding"
            + (id != null ? " (" + idField + " " + id + ")" : "")
            + ": "
            + String.join("; ", problems));
    return true;
  }

  /** What is wrong with the fields that must hold text, in order; empty when all are fine. */
  static List<String> textProblems(JsonNode node, String... fields) {
    List<String> problems = new ArrayList<>();
    for (String field : fields) {
      String problem = textProblem(node, field);
      if (problem != null) {
        problems.add(problem);
      }
    }
    return problems;
  }

  /** How a field that should hold text is wrong, or null when it is fine. */
  static String textProblem(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return field + " is missing";
    }
    if (!value.isTextual()) {
      return field + " must be a string, found " + kind(value);
    }
    if (value.textValue().isEmpty()) {
      return field + " is empty";
    }
    return null;
  }

  static String kind(JsonNode value) {
    return switch (value.getNodeType()) {
      case OBJECT, POJO -> "an object";
      case ARRAY -> "an array";
      case STRING, BINARY -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> "null";
    };
  }
}
