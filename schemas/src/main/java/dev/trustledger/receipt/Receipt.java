package dev.trustledger.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A trust receipt: a C2SP {@code tlog-proof@v1} of the agent's latest entry whose {@code extra} is
 * the base64 of a JSON object:
 *
 * <pre>
 * {"type": "trustledger-receipt/v1",
 *  "entries": [{"index": &lt;ledger_seq&gt;, "entry": &lt;base64 leaf data&gt;,
 *               "proof": [&lt;base64 hash&gt;, ...]}, ...],
 *  "statement": &lt;the ledger's statement text&gt;,
 *  "signature": &lt;base64 Ed25519 of the ledger over the statement&gt;,
 *  "ledger_keys": [&lt;entries as above&gt;...]}
 * </pre>
 *
 * The first entry is the agent's latest (the proof's own index and hashes); then its parents' and
 * its sponsor's latest entries, then the entry that set the parameters in force, each with its
 * inclusion proof in the same checkpoint. {@code ledger_keys} holds the ledger's KeyRotated entries
 * below the checkpoint's size, in ledger order, so that a verifier who trusts an earlier key of the
 * ledger follows each rotation to the key that signed the checkpoint and the statement (empty, or
 * absent, when the ledger never rotated its key).
 *
 * @param index the agent's latest entry's ledger_seq
 * @param proof its inclusion proof in the checkpoint's tree
 * @param entries the entries, the agent's first
 * @param statement the ledger's statement text
 * @param signature the ledger's signature over the statement
 * @param checkpoint the checkpoint note, with witness cosignatures
 * @param ledgerKeys the ledger's key rotations below the checkpoint's size
 */
public record Receipt(
    long index,
    List<byte[]> proof,
    List<Entry> entries,
    String statement,
    byte[] signature,
    String checkpoint,
    List<Entry> ledgerKeys) {
  static final String HEADER = "c2sp.org/tlog-proof@v1";
  static final String TYPE = "trustledger-receipt/v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An entry of the receipt: its position, its bytes (the tree's leaf data) and its proof. */
  public record Entry(long index, byte[] leafData, List<byte[]> proof) {
    public Entry {
      proof = List.copyOf(proof);
    }
  }

  public Receipt {
    proof = List.copyOf(proof);
    entries = List.copyOf(entries);
    ledgerKeys = List.copyOf(ledgerKeys);
  }

  /** The receipt as a {@code .tlog-proof} file. */
  public String format() {
    ObjectNode extra = JSON.createObjectNode().put("type", TYPE);
    putEntries(extra.putArray("entries"), entries);
    extra.put("statement", statement).put("signature", b64(signature));
    if (!ledgerKeys.isEmpty()) {
      putEntries(extra.putArray("ledger_keys"), ledgerKeys);
    }
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    try {
      out.append("extra ").append(b64(JSON.writeValueAsBytes(extra))).append('\n');
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    out.append("index ").append(index).append('\n');
    proof.forEach(h -> out.append(b64(h)).append('\n'));
    out.append('\n').append(checkpoint);
    return out.toString();
  }

  private static void putEntries(ArrayNode list, List<Entry> entries) {
    for (Entry e : entries) {
      ObjectNode o = list.addObject().put("index", e.index());
      o.put("entry", b64(e.leafData()));
      ArrayNode p = o.putArray("proof");
      e.proof().forEach(h -> p.add(b64(h)));
    }
  }

  private static List<Entry> entries(JsonNode list) throws ReceiptException {
    List<Entry> entries = new ArrayList<>();
    for (JsonNode e : list) {
      List<byte[]> p = new ArrayList<>();
      for (JsonNode h : e.path("proof")) {
        p.add(unb64(h.asText(), "proof hash"));
      }
      if (!e.path("index").canConvertToLong()) {
        throw new ReceiptException("an entry of the extra data has no index");
      }
      entries.add(new Entry(e.path("index").asLong(), unb64(e.path("entry").asText(), "entry"), p));
    }
    return entries;
  }

  /**
   * Parses a receipt file.
   *
   * @throws ReceiptException when it is not a tlog-proof with this ledger's extra data
   */
  public static Receipt parse(String text) throws ReceiptException {
    String[] head = text.split("\n", 4);
    if (head.length < 4 || !head[0].equals(HEADER)) {
      throw new ReceiptException("not a " + HEADER + " file");
    }
    if (!head[1].startsWith("extra ")) {
      throw new ReceiptException("the receipt has no extra line with the ledger's data");
    }
    if (!head[2].startsWith("index ")) {
      throw new ReceiptException("the third line must be 'index <n>'");
    }
    long index;
    try {
      index = Long.parseLong(head[2].substring(6));
    } catch (NumberFormatException e) {
      throw new ReceiptException("malformed index line: '" + head[2] + "'");
    }
    if (index < 0 || !head[2].substring(6).equals(Long.toString(index))) {
      throw new ReceiptException("the index must be a decimal without leading zeroes");
    }
    String rest = head[3];
    int blank = rest.indexOf("\n\n");
    List<byte[]> proof = new ArrayList<>();
    String checkpoint;
    if (rest.startsWith("\n")) {
      checkpoint = rest.substring(1);
    } else {
      if (blank < 0) {
        throw new ReceiptException("the proof lines must end with an empty line");
      }
      for (String line : rest.substring(0, blank).split("\n", -1)) {
        proof.add(unb64(line, "proof line"));
      }
      checkpoint = rest.substring(blank + 2);
    }
    JsonNode extra;
    try {
      extra = JSON.readTree(unb64(head[1].substring(6), "extra"));
    } catch (IOException e) {
      throw new ReceiptException("the extra data is not JSON: " + e.getMessage());
    }
    if (extra == null || !TYPE.equals(extra.path("type").asText())) {
      throw new ReceiptException("the extra data is not a " + TYPE);
    }
    List<Entry> entries = entries(extra.path("entries"));
    List<Entry> ledgerKeys = entries(extra.path("ledger_keys"));
    if (!extra.path("statement").isTextual() || !extra.path("signature").isTextual()) {
      throw new ReceiptException("the extra data lacks the ledger's statement or its signature");
    }
    return new Receipt(
        index,
        proof,
        entries,
        extra.get("statement").asText(),
        unb64(extra.get("signature").asText(), "signature"),
        checkpoint,
        ledgerKeys);
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] unb64(String s, String what) throws ReceiptException {
    try {
      return Base64.getDecoder().decode(s.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new ReceiptException(what + " is not base64: '" + s + "'");
    }
  }
}
