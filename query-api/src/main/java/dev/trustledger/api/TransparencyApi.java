package dev.trustledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.avro.Checkpoint;
import dev.trustledger.avro.KeyRotated;
import dev.trustledger.avro.LedgerEntry;
import dev.trustledger.avro.LedgerGenesis;
import dev.trustledger.avro.LedgerParametersChanged;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.SignedEvent;
import dev.trustledger.checkpoint.NoteException;
import dev.trustledger.checkpoint.NoteKey;
import dev.trustledger.checkpoint.SignedNote;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.crypto.KeyRing;
import dev.trustledger.encoding.Buffers;
import dev.trustledger.encoding.Hex;
import dev.trustledger.json.AvroJson;
import dev.trustledger.ledger.avro.LedgerHead;
import dev.trustledger.ledger.avro.PrincipalState;
import dev.trustledger.ledger.read.LedgerReader;
import dev.trustledger.ledger.read.LogTree;
import dev.trustledger.ledger.sequencer.Sequencer;
import dev.trustledger.merkle.MerkleHash;
import dev.trustledger.merkle.Proofs;
import dev.trustledger.merkle.Tiles;
import dev.trustledger.receipt.Receipt;
import dev.trustledger.receipt.Statement;
import dev.trustledger.trust.Evidence;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ledger as a transparency log: the C2SP checkpoint and tiles, inclusion and consistency
 * proofs, the ledger's own description, and offline trust receipts. Tiles and proofs come from the
 * tree every node indexes from {@code ledger.entries}, so any node answers them.
 */
final class TransparencyApi {
  static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final LedgerReader reader;
  private final Witnessing witnessing;
  private final KeyRing ledgerKeys;
  private final Clock clock;
  private final ObjectMapper json;

  TransparencyApi(
      LedgerReader reader,
      Witnessing witnessing,
      KeyRing ledgerKeys,
      Clock clock,
      ObjectMapper json) {
    this.reader = reader;
    this.witnessing = witnessing;
    this.ledgerKeys = ledgerKeys;
    this.clock = clock;
    this.json = json;
  }

  /** The latest checkpoint, with the cosignatures the node holds for it. */
  private Checkpoint latest() {
    return reader.checkpoints().stream()
        .findFirst()
        .orElseThrow(() -> ApiException.unavailable("the ledger has signed no checkpoint yet", 2));
  }

  /** The checkpoint's note with every witness cosignature the node holds for it. */
  String cosigned(Checkpoint c) {
    try {
      SignedNote note = SignedNote.parse(c.getNote());
      return note.with(witnessing.cosignatures(note.text())).format();
    } catch (NoteException e) {
      throw new IllegalStateException("a stored checkpoint does not parse", e);
    }
  }

  /** How many trusted witnesses cosigned the checkpoint (as the node holds them). */
  private int cosignatures(Checkpoint c) {
    try {
      return witnessing.cosignatures(SignedNote.parse(c.getNote()).text()).size();
    } catch (NoteException e) {
      return 0;
    }
  }

  /** {@code GET /checkpoint}: tlog-tiles' mutable checkpoint. */
  void checkpoint(Context ctx) {
    ctx.header("Cache-Control", "no-cache")
        .contentType("text/plain; charset=utf-8")
        .result(cosigned(latest()));
  }

  /** {@code GET /tile/...}: a Merkle tile or an entry bundle, immutable once it exists. */
  void tile(Context ctx) {
    String path = "tile/" + ctx.pathParam("path");
    Tiles.Tile tile =
        Tiles.parse(path)
            .orElseThrow(
                () -> ApiException.badRequest("invalid-tile", "'" + path + "' is not a tile path"));
    LogTree tree = reader.tree();
    long size = tree.size();
    int available = Tiles.width(tile.level(), tile.index(), size);
    if (available < tile.width()) {
      throw ApiException.notFound(
          "tile", path + " (the tree this node holds has " + size + " leaves)");
    }
    byte[] body;
    if (tile.entries()) {
      List<byte[]> entries = new ArrayList<>(tile.width());
      for (int i = 0; i < tile.width(); i++) {
        long seq = tile.index() * Tiles.WIDTH + i;
        entries.add(
            tree.leafData(seq)
                .orElseThrow(() -> new IllegalStateException("no entry at ledger_seq " + seq)));
      }
      body = Tiles.bundle(entries);
    } else {
      body = Tiles.hashes(tile, tree);
    }
    ctx.header("Cache-Control", IMMUTABLE).contentType("application/octet-stream").result(body);
  }

  /** {@code GET /v1/log/inclusion?ledger_seq=&tree_size=}. */
  void inclusion(Context ctx) {
    long index = LedgerApi.longParam(ctx, "ledger_seq", -1, 0, Long.MAX_VALUE - 1);
    if (index < 0) {
      throw ApiException.badRequest("invalid-parameter", "ledger_seq is required");
    }
    Checkpoint at = checkpointFor(ctx, "tree_size");
    if (index >= at.getSize()) {
      throw ApiException.notFound(
          "entry", "at ledger_seq " + index + " in a tree of size " + at.getSize());
    }
    ctx.json(proof(index, at));
  }

  /** The inclusion proof of the entry at {@code index} in checkpoint {@code at}. */
  ObjectNode proof(long index, Checkpoint at) {
    LogTree tree = reader.tree();
    if (tree.size() < at.getSize()) {
      throw ApiException.unavailable(
          "this node has indexed "
              + tree.size()
              + " of the checkpoint's "
              + at.getSize()
              + " entries",
          1);
    }
    byte[] leaf = MerkleHash.leaf(leafData(tree, index));
    ObjectNode out = json.createObjectNode();
    out.put("ledger_seq", index).put("tree_size", at.getSize());
    out.put("leaf_hash", Hex.encode(leaf));
    out.put("root_hash", Hex.encode(Buffers.toArray(at.getRootHash())));
    ArrayNode hashes = out.putArray("proof");
    Proofs.inclusion(index, at.getSize(), tree).forEach(h -> hashes.add(Hex.encode(h)));
    out.put("checkpoint", cosigned(at));
    return out;
  }

  /** {@code GET /v1/log/consistency?from=&to=}. */
  void consistency(Context ctx) {
    long from = LedgerApi.longParam(ctx, "from", -1, 0, Long.MAX_VALUE);
    if (from < 0) {
      throw ApiException.badRequest("invalid-parameter", "from is required");
    }
    Checkpoint to = checkpointFor(ctx, "to");
    if (from > to.getSize()) {
      throw ApiException.badRequest(
          "invalid-parameter", "from (" + from + ") is above to (" + to.getSize() + ")");
    }
    LogTree tree = reader.tree();
    if (tree.size() < to.getSize()) {
      throw ApiException.unavailable("this node has not indexed that tree yet", 1);
    }
    ObjectNode out = json.createObjectNode();
    out.put("from", from).put("to", to.getSize());
    out.put("from_root", Hex.encode(Proofs.root(from, tree)));
    out.put("to_root", Hex.encode(Buffers.toArray(to.getRootHash())));
    ArrayNode hashes = out.putArray("proof");
    Proofs.consistency(from, to.getSize(), tree).forEach(h -> hashes.add(Hex.encode(h)));
    out.put("checkpoint", cosigned(to));
    ctx.json(out);
  }

  /** The checkpoint at the size query parameter {@code param} names, or the latest. */
  private Checkpoint checkpointFor(Context ctx, String param) {
    long size = LedgerApi.longParam(ctx, param, -1, 1, Long.MAX_VALUE);
    if (size < 0) {
      return latest();
    }
    return reader
        .checkpoint(size)
        .orElseThrow(() -> ApiException.notFound("checkpoint", "of size " + size));
  }

  /**
   * {@code GET /v1/log/entries?before=&limit=}: the latest entries in ledger order, newest first,
   * from this node's index of the log (the explorer's live list).
   */
  void latestEntries(Context ctx) {
    LogTree tree = reader.tree();
    long size = tree.size();
    long before = LedgerApi.longParam(ctx, "before", size, 0, Long.MAX_VALUE);
    int limit = (int) LedgerApi.longParam(ctx, "limit", 20, 1, 100);
    ObjectNode out = json.createObjectNode().put("tree_size", size);
    ArrayNode entries = out.putArray("entries");
    long seq = Math.min(before, size) - 1;
    for (; seq >= 0 && entries.size() < limit; seq--) {
      byte[] data = leafData(tree, seq);
      try {
        entries.add(
            dev.trustledger.json.AvroJson.toJson(
                dev.trustledger.serde.AvroBinary.decode(data, LedgerEntry.getClassSchema())));
      } catch (dev.trustledger.serde.SerdeException e) {
        throw new IllegalStateException("the indexed entry at " + seq + " does not decode", e);
      }
    }
    if (seq >= 0) {
      out.put("next_before", seq + 1);
    } else {
      out.putNull("next_before");
    }
    ctx.header("Cache-Control", "no-cache").json(out);
  }

  /** {@code GET /v1/log/witnesses}. */
  void witnesses(Context ctx) {
    ObjectNode out = json.createObjectNode().put("quorum", witnessing.quorum());
    out.set("witnesses", json.valueToTree(witnessing.status()));
    ctx.json(out);
  }

  /** {@code GET /v1/ledger}: the ledger's id, keys, parameters, tree and witnesses. */
  void ledger(Context ctx) {
    LedgerHead head =
        reader
            .head()
            .orElseThrow(() -> ApiException.unavailable("the ledger has no genesis yet", 2));
    byte[] key = Buffers.toArray(head.getPublicKey());
    String name = head.getParameters().getLedgerName();
    ObjectNode out = json.createObjectNode();
    out.put("ledger_id", Sequencer.ledgerId(head));
    out.put("ledger_name", name);
    out.put("public_key", dev.trustledger.encoding.Base64Url.encode(key));
    out.put(
        "verifier_key",
        new NoteKey(name, dev.trustledger.crypto.Ed25519PublicKey.of(key)).verifierKey());
    out.put("next_ledger_seq", head.getNextLedgerSeq());
    out.put("parameters_since", head.getParametersSince());
    out.set("parameters", AvroJson.toJson(head.getParameters()));
    out.put("tree_size", reader.tree().size());
    List<Checkpoint> cps = reader.checkpoints();
    if (cps.isEmpty()) {
      out.putNull("checkpoint_size");
    } else {
      out.put("checkpoint_size", cps.get(0).getSize());
    }
    out.put("quorum", witnessing.quorum());
    ArrayNode ws = out.putArray("witnesses");
    witnessing.witnesses().forEach(w -> ws.add(w.verifierKey()));
    ctx.json(out);
  }

  /**
   * The proof of an agent's latest entry in the latest checkpoint, or why there is none yet (the
   * entry came after it).
   */
  ObjectNode agentProof(PrincipalState agent) {
    Checkpoint cp = latest();
    if (agent.getChainLedgerSeq() < 0 || agent.getChainLedgerSeq() >= cp.getSize()) {
      ObjectNode pending = json.createObjectNode();
      pending.put("ledger_seq", agent.getChainLedgerSeq()).put("tree_size", cp.getSize());
      pending.put(
          "pending",
          "the agent's latest entry (ledger_seq "
              + agent.getChainLedgerSeq()
              + ") is not in the latest checkpoint (size "
              + cp.getSize()
              + ") yet; checkpoints follow within the ledger's checkpoint interval");
      return pending;
    }
    return proof(agent.getChainLedgerSeq(), cp);
  }

  /** {@code GET /v1/agents/{id}/receipt}: a tlog-proof file to check offline. */
  void receipt(Context ctx) {
    String id = LedgerApi.principalId(ctx, "id", PrincipalKind.AGENT);
    PrincipalState agent =
        reader
            .principal(id)
            .filter(p -> p.getKind() == PrincipalKind.AGENT)
            .orElseThrow(() -> ApiException.notFound("agent", id));
    Checkpoint cp = latest();
    if (cosignatures(cp) < witnessing.quorum()) {
      throw ApiException.unavailable(
          "the latest checkpoint (size "
              + cp.getSize()
              + ") is not cosigned by "
              + witnessing.quorum()
              + " witnesses yet",
          1);
    }
    long size = cp.getSize();
    LogTree tree = reader.tree();
    if (tree.size() < size) {
      throw ApiException.unavailable("this node has not indexed the checkpoint's tree yet", 1);
    }
    LedgerHead head = reader.head().orElseThrow();
    String ledgerId = Sequencer.ledgerId(head);
    LedgerChain chain = ledgerChain(ledgerId, head, size);

    List<String> parents = new ArrayList<>();
    List<PrincipalState> principals = new ArrayList<>();
    principals.add(agent);
    PrincipalState p = agent;
    while (p.getParentAgentId() != null) {
      p = reader.principal(p.getParentAgentId()).orElseThrow();
      parents.add(p.getId());
      principals.add(p);
    }
    PrincipalState sponsor = reader.principal(agent.getSponsorId()).orElseThrow();
    principals.add(sponsor);

    List<Receipt.Entry> entries = new ArrayList<>();
    List<Statement.Latest> latest = new ArrayList<>();
    List<Statement.Trust> trust = new ArrayList<>();
    for (PrincipalState principal : principals) {
      LedgerEntry entry =
          latestBefore(principal.getId(), principal.getChainSeq(), size)
              .orElseThrow(
                  () ->
                      ApiException.unavailable(
                          principal.getId() + " has no entry in the latest checkpoint yet", 2));
      entries.add(entryOf(tree, entry.getLedgerSeq(), size));
      latest.add(
          new Statement.Latest(
              principal.getId(), entry.getLedgerSeq(), Buffers.toArray(entry.getEntryHash())));
      if (principal.getKind() == PrincipalKind.AGENT) {
        Evidence recorded = Evidence.of(entry.getFacts().getTrustAfter());
        Evidence held = Evidence.of(principal.getTrust());
        boolean same =
            held.positive() == recorded.positive()
                && held.negative() == recorded.negative()
                && held.evidenceTime() == recorded.evidenceTime()
                && held.activityTime() >= recorded.activityTime();
        trust.add(new Statement.Trust(principal.getId(), same ? held : recorded));
      }
    }
    LedgerEntry params = chain.parameters();
    entries.add(entryOf(tree, params.getLedgerSeq(), size));
    Ed25519PrivateKey signing =
        ledgerKeys
            .find(chain.keyAt().raw())
            .orElseThrow(
                () ->
                    ApiException.unavailable(
                        "this node does not hold the ledger key that signed checkpoint " + size,
                        5));
    Statement statement =
        new Statement(
            ledgerId,
            cp.getOrigin(),
            size,
            Buffers.toArray(cp.getRootHash()),
            clock.millis(),
            id,
            sponsor.getId(),
            parents,
            latest,
            trust,
            new Statement.Latest(
                "", params.getLedgerSeq(), Buffers.toArray(params.getEntryHash())));
    Receipt receipt =
        new Receipt(
            entries.get(0).index(),
            entries.get(0).proof(),
            entries,
            statement.text(),
            statement.sign(signing),
            cosigned(cp),
            chain.rotations().stream().map(e -> entryOf(tree, e.getLedgerSeq(), size)).toList());
    ctx.header("Cache-Control", "no-store")
        .contentType("text/plain; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"" + id + ".tlog-proof\"")
        .result(receipt.format());
  }

  /**
   * The ledger's own chain below a checkpoint of {@code size}: the entry that set the parameters in
   * force, the rotations of its key, and the key in force at that size.
   */
  private record LedgerChain(
      LedgerEntry parameters, List<LedgerEntry> rotations, Ed25519PublicKey keyAt) {}

  private LedgerChain ledgerChain(String ledgerId, LedgerHead head, long size) {
    LedgerEntry parameters = null;
    List<LedgerEntry> rotations = new ArrayList<>();
    Ed25519PublicKey key = null;
    for (long from = 0; from <= head.getChainSeq(); ) {
      List<LedgerEntry> page = reader.entries(ledgerId, from, 100);
      if (page.isEmpty()) {
        break;
      }
      for (LedgerEntry e : page) {
        if (e.getLedgerSeq() >= size || !(e.getEvent() instanceof SignedEvent event)) {
          continue;
        }
        Object payload = event.getPayload();
        if (payload instanceof LedgerGenesis g) {
          parameters = e;
          key = Ed25519PublicKey.of(Buffers.toArray(g.getPublicKey()));
        } else if (payload instanceof LedgerParametersChanged) {
          parameters = e;
        } else if (payload instanceof KeyRotated k) {
          rotations.add(e);
          key = Ed25519PublicKey.of(Buffers.toArray(k.getNewPublicKey()));
        }
      }
      from = page.get(page.size() - 1).getSeq() + 1;
    }
    if (parameters == null || key == null) {
      throw ApiException.unavailable("this node has not indexed the ledger's genesis yet", 2);
    }
    return new LedgerChain(parameters, rotations, key);
  }

  private static Receipt.Entry entryOf(LogTree tree, long index, long size) {
    return new Receipt.Entry(index, leafData(tree, index), Proofs.inclusion(index, size, tree));
  }

  private static byte[] leafData(LogTree tree, long index) {
    return tree.leafData(index)
        .orElseThrow(() -> new IllegalStateException("no entry at ledger_seq " + index));
  }

  /** The latest entry of a chain with a ledger_seq below {@code size}. */
  private Optional<LedgerEntry> latestBefore(String subjectId, long chainSeq, long size) {
    long from = chainSeq;
    while (from >= 0) {
      long start = Math.max(0, from - 15);
      List<LedgerEntry> page = reader.entries(subjectId, start, (int) (from - start + 1));
      for (int i = page.size() - 1; i >= 0; i--) {
        if (page.get(i).getLedgerSeq() < size) {
          return Optional.of(page.get(i));
        }
      }
      from = start - 1;
    }
    return Optional.empty();
  }
}
