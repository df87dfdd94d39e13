package dev.trustledger.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.encoding.Hex;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * The JSON form of the Avro records (docs/spec.md section 2.2): the Avro field names; hashes (bytes
 * fields named {@code *_hash} or {@code *_sha256}) as lowercase hex and other bytes (keys,
 * signatures) as base64url without padding; enum symbols in lowercase; a record inside a union of
 * records as an object whose {@code type} names its branch; optional values as null or absent.
 * Parsing is strict: unknown fields, wrong types and bad encodings are refused with the JSON
 * pointer of the field (enum symbols are taken in either case).
 */
public final class AvroJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AvroJson() {}

  /** A malformed JSON value, with the pointer of the offending field. */
  public static final class JsonFieldException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String pointer;

    JsonFieldException(String pointer, String message) {
      super((pointer.isEmpty() ? "/" : pointer) + ": " + message);
      this.pointer = pointer;
    }

    public String pointer() {
      return pointer;
    }
  }

  /** The JSON form of a generated record. */
  public static JsonNode toJson(IndexedRecord record) {
    return toJson(record, record.getSchema(), false);
  }

  /** Whether a field holds a hash, written in hex rather than base64url. */
  static boolean isHash(String fieldName) {
    return fieldName.endsWith("_hash") || fieldName.endsWith("_sha256");
  }

  private static JsonNode toJson(Object value, Schema schema, boolean hex) {
    switch (schema.getType()) {
      case RECORD:
        {
          IndexedRecord record = (IndexedRecord) value;
          ObjectNode out = NODES.objectNode();
          for (Schema.Field f : schema.getFields()) {
            out.set(f.name(), toJson(record.get(f.pos()), f.schema(), isHash(f.name())));
          }
          return out;
        }
      case UNION:
        {
          if (value == null) {
            return NODES.nullNode();
          }
          int branch = GenericData.get().resolveUnion(schema, value);
          Schema chosen = schema.getTypes().get(branch);
          JsonNode out = toJson(value, chosen, hex);
          if (chosen.getType() == Schema.Type.RECORD && recordBranches(schema) > 1) {
            ObjectNode typed = NODES.objectNode().put("type", chosen.getName());
            typed.setAll((ObjectNode) out);
            return typed;
          }
          return out;
        }
      case ARRAY:
        {
          ArrayNode out = NODES.arrayNode();
          for (Object item : (Iterable<?>) value) {
            out.add(toJson(item, schema.getElementType(), hex));
          }
          return out;
        }
      case BYTES:
        {
          byte[] bytes = Buffers.toArray((ByteBuffer) value);
          return NODES.textNode(hex ? Hex.encode(bytes) : Base64Url.encode(bytes));
        }
      case STRING:
        return NODES.textNode(value.toString());
      case ENUM:
        return NODES.textNode(value.toString().toLowerCase(Locale.ROOT));
      case INT:
        return NODES.numberNode((Integer) value);
      case LONG:
        return NODES.numberNode((Long) value);
      case DOUBLE:
        return NODES.numberNode((Double) value);
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      case NULL:
        return NODES.nullNode();
      default:
        throw new IllegalArgumentException("unsupported Avro type " + schema.getType());
    }
  }

  private static int recordBranches(Schema union) {
    int n = 0;
    for (Schema s : union.getTypes()) {
      if (s.getType() == Schema.Type.RECORD) {
        n++;
      }
    }
    return n;
  }

  /**
   * Parses the JSON form of a record of {@code schema} into its generated class.
   *
   * @throws JsonFieldException when the JSON does not match the schema
   */
  @SuppressWarnings("unchecked")
  public static <T> T fromJson(JsonNode node, Schema schema) throws JsonFieldException {
    GenericRecord generic = (GenericRecord) parse(node, schema, "", false);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(schema).write(generic, encoder);
      encoder.flush();
      byte[] bytes = out.toByteArray();
      return (T)
          new SpecificDatumReader<>(schema)
              .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    } catch (IOException | RuntimeException e) {
      throw new JsonFieldException("", "cannot be represented: " + e.getMessage());
    }
  }

  private static Object parse(JsonNode node, Schema schema, String pointer, boolean hex)
      throws JsonFieldException {
    switch (schema.getType()) {
      case RECORD:
        return parseRecord(node, schema, pointer, Set.of());
      case UNION:
        return parseUnion(node, schema, pointer, hex);
      case ARRAY:
        {
          if (node == null || !node.isArray()) {
            throw new JsonFieldException(pointer, "must be an array");
          }
          List<Object> out = new ArrayList<>();
          for (int i = 0; i < node.size(); i++) {
            out.add(parse(node.get(i), schema.getElementType(), pointer + "/" + i, hex));
          }
          return new GenericData.Array<>(schema, out);
        }
      case BYTES:
        {
          if (node == null || !node.isTextual()) {
            throw new JsonFieldException(
                pointer, hex ? "must be a lowercase hex string" : "must be a base64url string");
          }
          if (hex) {
            if (!node.asText().matches("([0-9a-f]{2})*")) {
              throw new JsonFieldException(pointer, "is not lowercase hex");
            }
            return ByteBuffer.wrap(Hex.decode(node.asText()));
          }
          try {
            return ByteBuffer.wrap(Base64Url.decode(node.asText()));
          } catch (IllegalArgumentException e) {
            throw new JsonFieldException(pointer, "is not base64url without padding");
          }
        }
      case STRING:
        if (node == null || !node.isTextual()) {
          throw new JsonFieldException(pointer, "must be a string");
        }
        return node.asText();
      case ENUM:
        {
          String symbol = node == null || !node.isTextual() ? "" : node.asText();
          if (!schema.getEnumSymbols().contains(symbol.toUpperCase(Locale.ROOT))) {
            throw new JsonFieldException(
                pointer,
                "must be one of "
                    + schema.getEnumSymbols().stream()
                        .map(e -> e.toLowerCase(Locale.ROOT))
                        .toList());
          }
          return new GenericData.EnumSymbol(schema, symbol.toUpperCase(Locale.ROOT));
        }
      case INT:
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
          throw new JsonFieldException(pointer, "must be a 32-bit integer");
        }
        return node.asInt();
      case LONG:
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
          throw new JsonFieldException(pointer, "must be a 64-bit integer");
        }
        return node.asLong();
      case DOUBLE:
        if (node == null || !node.isNumber()) {
          throw new JsonFieldException(pointer, "must be a number");
        }
        return node.asDouble();
      case BOOLEAN:
        if (node == null || !node.isBoolean()) {
          throw new JsonFieldException(pointer, "must be true or false");
        }
        return node.asBoolean();
      case NULL:
        if (node != null && !node.isNull()) {
          throw new JsonFieldException(pointer, "must be null");
        }
        return null;
      default:
        throw new JsonFieldException(pointer, "unsupported type " + schema.getType());
    }
  }

  private static GenericRecord parseRecord(
      JsonNode node, Schema schema, String pointer, Set<String> ignored) throws JsonFieldException {
    if (node == null || !node.isObject()) {
      throw new JsonFieldException(pointer, "must be an object (" + schema.getName() + ")");
    }
    Set<String> known = new HashSet<>(ignored);
    GenericRecord record = new GenericData.Record(schema);
    for (Schema.Field f : schema.getFields()) {
      known.add(f.name());
      JsonNode value = node.get(f.name());
      if (value == null
          || (value.isNull()
              && f.hasDefaultValue()
              && f.defaultVal() == org.apache.avro.JsonProperties.NULL_VALUE)) {
        if (!f.hasDefaultValue()) {
          throw new JsonFieldException(pointer + "/" + f.name(), "is required");
        }
        record.put(f.pos(), GenericData.get().getDefaultValue(f));
        continue;
      }
      record.put(f.pos(), parse(value, f.schema(), pointer + "/" + f.name(), isHash(f.name())));
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      String name = fields.next().getKey();
      if (!known.contains(name)) {
        throw new JsonFieldException(pointer + "/" + name, "is not a field of " + schema.getName());
      }
    }
    return record;
  }

  private static Object parseUnion(JsonNode node, Schema schema, String pointer, boolean hex)
      throws JsonFieldException {
    List<Schema> types = schema.getTypes();
    boolean nullable = types.stream().anyMatch(t -> t.getType() == Schema.Type.NULL);
    if (node == null || node.isNull()) {
      if (nullable) {
        return null;
      }
      throw new JsonFieldException(pointer, "is required");
    }
    if (recordBranches(schema) > 1) {
      JsonNode type = node.get("type");
      if (type == null || !type.isTextual()) {
        throw new JsonFieldException(pointer + "/type", "must name one of " + branchNames(schema));
      }
      for (Schema t : types) {
        if (t.getType() == Schema.Type.RECORD && t.getName().equals(type.asText())) {
          return parseRecord(node, t, pointer, Set.of("type"));
        }
      }
      throw new JsonFieldException(pointer + "/type", "must name one of " + branchNames(schema));
    }
    for (Schema t : types) {
      if (t.getType() != Schema.Type.NULL) {
        return parse(node, t, pointer, hex);
      }
    }
    throw new JsonFieldException(pointer, "must be null");
  }

  private static List<String> branchNames(Schema union) {
    List<String> names = new ArrayList<>();
    for (Schema t : union.getTypes()) {
      if (t.getType() == Schema.Type.RECORD) {
        names.add(t.getName());
      }
    }
    return names;
  }
}
