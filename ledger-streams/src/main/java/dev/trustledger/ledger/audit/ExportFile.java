package dev.trustledger.ledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.Rejection;
import dev.trustledger.json.AvroJson;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * A self-describing export of the log as JSON Lines: a header line with the format, the ledger name
 * and the Avro schemas, then one line per record ({@code entry}, {@code checkpoint} or {@code
 * rejection}) with its partition, offset and the record in its JSON form. Avro binary is canonical,
 * so entries read back hash exactly as they did on the topic.
 */
public final class ExportFile {
  public static final String FORMAT = "trustledger-export/v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExportFile() {}

  /** One exported record. */
  public record Line(String type, int partition, long offset, SpecificRecord record) {}

  /** Writes a header and {@code lines} to {@code file}. */
  public static void write(Path file, String ledgerName, Iterable<Line> lines) throws IOException {
    write(file, ledgerName, System.currentTimeMillis(), lines);
  }

  /** Writes a header dated {@code exportedAt} and {@code lines} to {@code file}. */
  public static void write(Path file, String ledgerName, long exportedAt, Iterable<Line> lines)
      throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      ObjectNode header = JSON.createObjectNode();
      header.put("type", "header").put("format", FORMAT).put("ledger", ledgerName);
      header.put("exported_at", exportedAt);
      ObjectNode schemas = header.putObject("schemas");
      schemas.set("entry", JSON.readTree(LedgerEntry.getClassSchema().toString()));
      schemas.set("checkpoint", JSON.readTree(Checkpoint.getClassSchema().toString()));
      schemas.set("rejection", JSON.readTree(Rejection.getClassSchema().toString()));
      out.write(header.toString());
      out.newLine();
      for (Line line : lines) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", line.type())
            .put("partition", line.partition())
            .put("offset", line.offset());
        node.set("record", AvroJson.toJson((org.apache.avro.generic.IndexedRecord) line.record()));
        out.write(node.toString());
        out.newLine();
      }
    }
  }

  /**
   * Reads an export into the log an auditor checks. Lines that do not parse become broken records
   * at their position, so the audit reports them instead of skipping them.
   *
   * @throws IOException when the file cannot be read or has no valid header
   */
  public static AuditLog read(Path file) throws IOException {
    Map<Integer, List<Located<LedgerEntry>>> entries = new HashMap<>();
    List<Located<Checkpoint>> checkpoints = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String first = in.readLine();
      JsonNode header = first == null ? null : parse(first);
      if (header == null || !FORMAT.equals(header.path("format").asText())) {
        throw new IOException(file + " is not a " + FORMAT + " file");
      }
      String text;
      long lineNo = 1;
      while ((text = in.readLine()) != null) {
        lineNo++;
        JsonNode line = parse(text);
        if (line == null) {
          entries
              .computeIfAbsent(-1, p -> new ArrayList<>())
              .add(Located.broken(-1, lineNo, "line " + lineNo + " is not JSON"));
          continue;
        }
        int partition = line.path("partition").asInt(-1);
        long offset = line.path("offset").asLong(-1);
        String type = line.path("type").asText();
        try {
          switch (type) {
            case "entry" ->
                entries
                    .computeIfAbsent(partition, p -> new ArrayList<>())
                    .add(
                        Located.of(
                            partition,
                            offset,
                            AvroJson.fromJson(line.get("record"), LedgerEntry.getClassSchema())));
            case "checkpoint" ->
                checkpoints.add(
                    Located.of(
                        partition,
                        offset,
                        AvroJson.fromJson(line.get("record"), Checkpoint.getClassSchema())));
            default -> {
              // rejections and future record types are not part of the audit
            }
          }
        } catch (AvroJson.JsonFieldException e) {
          if (type.equals("checkpoint")) {
            checkpoints.add(Located.broken(partition, offset, e.getMessage()));
          } else {
            entries
                .computeIfAbsent(partition, p -> new ArrayList<>())
                .add(Located.broken(partition, offset, e.getMessage()));
          }
        }
      }
    }
    return new AuditLog(entries, checkpoints);
  }

  /** The lines of an audit log (entries by partition, then checkpoints), for writing it back. */
  public static List<Line> lines(AuditLog log) {
    List<Line> out = new ArrayList<>();
    new java.util.TreeMap<>(log.entries())
        .forEach(
            (partition, entries) -> {
              for (Located<LedgerEntry> e : entries) {
                out.add(new Line("entry", partition, e.offset(), e.value()));
              }
            });
    for (Located<Checkpoint> c : log.checkpoints()) {
      out.add(new Line("checkpoint", c.partition(), c.offset(), c.value()));
    }
    return out;
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      return null;
    }
  }
}
