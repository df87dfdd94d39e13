package dev.trustledger.ledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerGenesis;
import dev.trustledger.avro.Rejection;
import dev.trustledger.avro.SignedEvent;
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
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * A self-describing export of the log as JSON Lines (docs/spec.md section 11): a header line with
 * the format, the ledger's name and id (from its genesis entry) and the Avro schemas, then one line
 * per record, {@code entry}, {@code checkpoint}, {@code rejection} or {@code input}, with its
 * partition, offset and the record in its JSON form. Avro binary is canonical, so entries read back
 * hash exactly as they did on the topic.
 */
public final class ExportFile {
  public static final String FORMAT = "trustledger-export/v3";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExportFile() {}

  /** Writes {@code log} to {@code file}, dated {@code exportedAt}. */
  public static long write(Path file, AuditLog log, long exportedAt) throws IOException {
    long lines = 0;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      ObjectNode header = JSON.createObjectNode();
      header.put("type", "header").put("format", FORMAT);
      Optional<SignedEvent> genesis = genesis(log);
      header.put(
          "ledger",
          genesis
              .map(g -> ((LedgerGenesis) g.getPayload()).getParameters().getLedgerName())
              .orElse(null));
      header.put("ledger_id", genesis.map(SignedEvent::getSubjectId).orElse(null));
      header.put("exported_at", exportedAt);
      ObjectNode schemas = header.putObject("schemas");
      schemas.set("entry", JSON.readTree(LedgerEntry.getClassSchema().toString()));
      schemas.set("checkpoint", JSON.readTree(Checkpoint.getClassSchema().toString()));
      schemas.set("rejection", JSON.readTree(Rejection.getClassSchema().toString()));
      schemas.set("input", JSON.readTree(SignedEvent.getClassSchema().toString()));
      writeLine(out, header);
      for (Map.Entry<Integer, List<Located<LedgerEntry>>> p :
          new TreeMap<>(log.entries()).entrySet()) {
        for (Located<LedgerEntry> e : p.getValue()) {
          writeLine(out, line("entry", e.partition(), e.offset(), e.value()));
          lines++;
        }
      }
      for (Located<Checkpoint> c : log.checkpoints()) {
        writeLine(out, line("checkpoint", c.partition(), c.offset(), c.value()));
        lines++;
      }
      for (Located<Rejection> r : log.rejections()) {
        writeLine(out, line("rejection", r.partition(), r.offset(), r.value()));
        lines++;
      }
      if (log.inputs() != null) {
        for (InputRecord in : log.inputs()) {
          ObjectNode node = line("input", in.partition(), in.offset(), in.event());
          node.put("timestamp", in.timestamp());
          node.put("key", in.key());
          writeLine(out, node);
          lines++;
        }
      }
    }
    return lines;
  }

  private static Optional<SignedEvent> genesis(AuditLog log) {
    for (List<Located<LedgerEntry>> entries : log.entries().values()) {
      for (Located<LedgerEntry> e : entries) {
        if (e.value() != null
            && e.value().getLedgerSeq() == 0
            && e.value().getEvent() instanceof SignedEvent s
            && s.getPayload() instanceof LedgerGenesis) {
          return Optional.of(s);
        }
      }
    }
    return Optional.empty();
  }

  private static ObjectNode line(String type, int partition, long offset, IndexedRecord record) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", type).put("partition", partition).put("offset", offset);
    node.set("record", record == null ? JSON.nullNode() : AvroJson.toJson(record));
    return node;
  }

  private static void writeLine(BufferedWriter out, JsonNode node) throws IOException {
    out.write(node.toString());
    out.newLine();
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
    List<Located<Rejection>> rejections = new ArrayList<>();
    List<InputRecord> inputs = new ArrayList<>();
    boolean sawInputs = false;
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
        switch (type) {
          case "entry" ->
              entries
                  .computeIfAbsent(partition, p -> new ArrayList<>())
                  .add(located(line, LedgerEntry.getClassSchema(), partition, offset));
          case "checkpoint" ->
              checkpoints.add(located(line, Checkpoint.getClassSchema(), partition, offset));
          case "rejection" ->
              rejections.add(located(line, Rejection.getClassSchema(), partition, offset));
          case "input" -> {
            sawInputs = true;
            Located<SignedEvent> event =
                line.path("record").isNull()
                    ? Located.broken(partition, offset, "undecodable input")
                    : located(line, SignedEvent.getClassSchema(), partition, offset);
            inputs.add(
                new InputRecord(
                    partition,
                    offset,
                    line.path("timestamp").asLong(),
                    line.path("key").isNull() ? null : line.path("key").asText(),
                    event.value()));
          }
          default -> {
            // future record types are not part of the audit
          }
        }
      }
    }
    return new AuditLog(entries, checkpoints, rejections, sawInputs ? inputs : null);
  }

  private static <T> Located<T> located(JsonNode line, Schema schema, int partition, long offset) {
    try {
      return Located.of(partition, offset, AvroJson.fromJson(line.get("record"), schema));
    } catch (AvroJson.JsonFieldException e) {
      return Located.broken(partition, offset, e.getMessage());
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      return null;
    }
  }
}
