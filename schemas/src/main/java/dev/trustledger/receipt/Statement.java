package dev.trustledger.receipt;

import dev.trustledger.crypto.Domain;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Hex;
import dev.trustledger.trust.Evidence;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The ledger's signed statement in a receipt: which entries were the latest of the agent, its
 * parents and its sponsor in the tree of a checkpoint, which entry set the parameters in force, and
 * the agents' trust evidence as the ledger holds it (the last activity can be newer than the entry,
 * from reports an agent signed about others). Signed by the ledger key over {@code
 * "trustledger/v1/receipt\n" || text}. Lines, each ending in a newline:
 *
 * <pre>
 * ledger &lt;ledger id&gt;
 * checkpoint &lt;origin&gt; &lt;size&gt; &lt;base64 root&gt;
 * time &lt;epoch ms&gt;
 * subject &lt;agent id&gt;
 * sponsor &lt;sponsor id&gt;
 * parents [&lt;agent id&gt; ...]                                   (nearest first)
 * latest &lt;principal id&gt; &lt;ledger_seq&gt; &lt;hex entry hash&gt;      (one per principal)
 * trust &lt;agent id&gt; &lt;r&gt; &lt;s&gt; &lt;t_ev&gt; &lt;t_act&gt; &lt;positive&gt; &lt;negative&gt;   (one per agent)
 * parameters &lt;ledger_seq&gt; &lt;hex entry hash&gt;
 * </pre>
 */
public record Statement(
    String ledgerId,
    String origin,
    long treeSize,
    byte[] rootHash,
    long time,
    String subjectId,
    String sponsorId,
    List<String> parents,
    List<Latest> latest,
    List<Trust> trust,
    Latest parameters) {

  /** An entry named as the latest of its principal (or, for parameters, the one in force). */
  public record Latest(String principalId, long ledgerSeq, byte[] entryHash) {}

  /** The trust evidence the ledger holds for an agent. */
  public record Trust(String agentId, Evidence evidence) {}

  public Statement {
    parents = List.copyOf(parents);
    latest = List.copyOf(latest);
    trust = List.copyOf(trust);
  }

  public String text() {
    StringBuilder out = new StringBuilder();
    out.append("ledger ").append(ledgerId).append('\n');
    out.append("checkpoint ")
        .append(origin)
        .append(' ')
        .append(treeSize)
        .append(' ')
        .append(Base64.getEncoder().encodeToString(rootHash))
        .append('\n');
    out.append("time ").append(time).append('\n');
    out.append("subject ").append(subjectId).append('\n');
    out.append("sponsor ").append(sponsorId).append('\n');
    out.append("parents");
    parents.forEach(p -> out.append(' ').append(p));
    out.append('\n');
    for (Latest l : latest) {
      out.append("latest ")
          .append(l.principalId())
          .append(' ')
          .append(l.ledgerSeq())
          .append(' ')
          .append(Hex.encode(l.entryHash()))
          .append('\n');
    }
    for (Trust t : trust) {
      Evidence e = t.evidence();
      out.append("trust ")
          .append(t.agentId())
          .append(' ')
          .append(Double.toString(e.positive()))
          .append(' ')
          .append(Double.toString(e.negative()))
          .append(' ')
          .append(e.evidenceTime())
          .append(' ')
          .append(e.activityTime())
          .append(' ')
          .append(e.positiveReports())
          .append(' ')
          .append(e.negativeReports())
          .append('\n');
    }
    out.append("parameters ")
        .append(parameters.ledgerSeq())
        .append(' ')
        .append(Hex.encode(parameters.entryHash()))
        .append('\n');
    return out.toString();
  }

  /** The signature of the ledger over this statement. */
  public byte[] sign(Ed25519PrivateKey ledgerKey) {
    return ledgerKey.sign(Domain.RECEIPT.prefix(text().getBytes(StandardCharsets.UTF_8)));
  }

  /** True when {@code signature} is the ledger's over {@code text}. */
  public static boolean verify(String text, byte[] signature, Ed25519PublicKey ledgerKey) {
    return ledgerKey.verify(
        Domain.RECEIPT.prefix(text.getBytes(StandardCharsets.UTF_8)), signature);
  }

  /**
   * Parses a statement's text.
   *
   * @throws ReceiptException when a line is not one of the statement's
   */
  public static Statement parse(String text) throws ReceiptException {
    if (!text.endsWith("\n")) {
      throw new ReceiptException("the statement must end with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    String ledgerId = null;
    String origin = null;
    long size = -1;
    byte[] root = null;
    long time = -1;
    String subject = null;
    String sponsor = null;
    List<String> parents = null;
    List<Latest> latest = new ArrayList<>();
    List<Trust> trust = new ArrayList<>();
    Latest parameters = null;
    try {
      for (String line : lines) {
        String[] f = line.split(" ", -1);
        switch (f[0]) {
          case "ledger" -> ledgerId = only(f, 2)[1];
          case "checkpoint" -> {
            only(f, 4);
            origin = f[1];
            size = Long.parseLong(f[2]);
            root = Base64.getDecoder().decode(f[3]);
          }
          case "time" -> time = Long.parseLong(only(f, 2)[1]);
          case "subject" -> subject = only(f, 2)[1];
          case "sponsor" -> sponsor = only(f, 2)[1];
          case "parents" -> parents = List.of(f).subList(1, f.length);
          case "latest" -> {
            only(f, 4);
            latest.add(new Latest(f[1], Long.parseLong(f[2]), Hex.decode(f[3])));
          }
          case "trust" -> {
            only(f, 8);
            trust.add(
                new Trust(
                    f[1],
                    new Evidence(
                        Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]),
                        Long.parseLong(f[4]),
                        Long.parseLong(f[5]),
                        Integer.parseInt(f[6]),
                        Integer.parseInt(f[7]))));
          }
          case "parameters" -> {
            only(f, 3);
            parameters = new Latest("", Long.parseLong(f[1]), Hex.decode(f[2]));
          }
          default -> throw new ReceiptException("unknown statement line: '" + line + "'");
        }
      }
    } catch (IllegalArgumentException e) {
      throw new ReceiptException("malformed statement line: " + e.getMessage());
    }
    if (ledgerId == null
        || origin == null
        || time < 0
        || subject == null
        || sponsor == null
        || parents == null
        || parameters == null) {
      throw new ReceiptException(
          "the statement lacks one of its ledger, checkpoint, time, subject, sponsor, parents or"
              + " parameters lines");
    }
    return new Statement(
        ledgerId, origin, size, root, time, subject, sponsor, parents, latest, trust, parameters);
  }

  private static String[] only(String[] fields, int n) {
    if (fields.length != n) {
      throw new IllegalArgumentException("'" + String.join(" ", fields) + "'");
    }
    return fields;
  }
}
