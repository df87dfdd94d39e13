package dev.trustledger.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Inclusion and consistency proofs of RFC 9162 section 2.1: made from a {@link NodeSource} of the
 * larger tree, verified from hashes alone. A proof lists hashes from the leaf's (or the smaller
 * tree's) level up to the root's children.
 */
public final class Proofs {
  private Proofs() {}

  /** The root hash of the first {@code size} leaves. */
  public static byte[] root(long size, NodeSource nodes) {
    if (size < 0) {
      throw new IllegalArgumentException("tree size must not be negative, got " + size);
    }
    return size == 0 ? MerkleHash.empty() : range(0, size, nodes);
  }

  /**
   * The inclusion proof of leaf {@code index} in the tree of the first {@code size} leaves (PATH(m,
   * D[n]) of RFC 9162 2.1.3.1).
   *
   * @throws IllegalArgumentException unless {@code 0 <= index < size}
   */
  public static List<byte[]> inclusion(long index, long size, NodeSource nodes) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of size " + size);
    }
    List<byte[]> out = new ArrayList<>();
    path(index, 0, size, nodes, out);
    return out;
  }

  private static void path(long m, long start, long end, NodeSource nodes, List<byte[]> out) {
    long n = end - start;
    if (n == 1) {
      return;
    }
    long k = splitPoint(n);
    if (m < k) {
      path(m, start, start + k, nodes, out);
      out.add(range(start + k, end, nodes));
    } else {
      path(m - k, start + k, end, nodes, out);
      out.add(range(start, start + k, nodes));
    }
  }

  /**
   * The consistency proof from the tree of the first {@code from} leaves to the tree of the first
   * {@code to} (PROOF(m, D[n]) of RFC 9162 2.1.4.1); empty when {@code from} is 0 or equals {@code
   * to}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= from <= to}
   */
  public static List<byte[]> consistency(long from, long to, NodeSource nodes) {
    if (from < 0 || from > to) {
      throw new IllegalArgumentException(
          "no consistency proof from size " + from + " to size " + to);
    }
    List<byte[]> out = new ArrayList<>();
    if (from > 0 && from < to) {
      subproof(from, 0, to, true, nodes, out);
    }
    return out;
  }

  private static void subproof(
      long m, long start, long end, boolean whole, NodeSource nodes, List<byte[]> out) {
    long n = end - start;
    if (m == n) {
      if (!whole) {
        out.add(range(start, end, nodes));
      }
      return;
    }
    long k = splitPoint(n);
    if (m <= k) {
      subproof(m, start, start + k, whole, nodes, out);
      out.add(range(start + k, end, nodes));
    } else {
      subproof(m - k, start + k, end, false, nodes, out);
      out.add(range(start, start + k, nodes));
    }
  }

  /**
   * MTH of leaves {@code [start, end)}, where {@code start} is a multiple of the largest power of
   * two below {@code end - start} (true of every range the proofs ask for).
   */
  static byte[] range(long start, long end, NodeSource nodes) {
    long n = end - start;
    if (Long.bitCount(n) == 1) {
      int level = Long.numberOfTrailingZeros(n);
      return nodes.node(level, start >>> level);
    }
    long k = splitPoint(n);
    return MerkleHash.node(range(start, start + k, nodes), range(start + k, end, nodes));
  }

  /** The largest power of two smaller than {@code n} ({@code n >= 2}). */
  static long splitPoint(long n) {
    return Long.highestOneBit(n - 1);
  }

  /**
   * Verifies that {@code proof} proves leaf {@code index} with hash {@code leafHash} in the tree of
   * {@code size} leaves whose root is {@code root} (RFC 9162 2.1.3.2).
   *
   * @throws ProofException when it does not
   */
  public static void verifyInclusion(
      long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
      throws ProofException {
    byte[] computed = rootFromInclusion(index, size, leafHash, proof);
    if (!MessageDigest.isEqual(computed, root)) {
      throw new ProofException(
          "the inclusion proof of leaf " + index + " leads to another root than the tree's");
    }
  }

  /**
   * The root that {@code proof} leads to from leaf {@code index} of a tree of {@code size}.
   *
   * @throws ProofException when the proof has the wrong shape for that index and size
   */
  public static byte[] rootFromInclusion(long index, long size, byte[] leafHash, List<byte[]> proof)
      throws ProofException {
    if (index < 0 || index >= size) {
      throw new ProofException("leaf " + index + " is not in a tree of size " + size);
    }
    checkHashes(proof);
    if (leafHash.length != MerkleHash.LENGTH) {
      throw new ProofException("a leaf hash is 32 bytes, got " + leafHash.length);
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        throw new ProofException(
            "the inclusion proof is longer than a tree of size " + size + " needs");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleHash.node(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = MerkleHash.node(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new ProofException(
          "the inclusion proof is shorter than a tree of size " + size + " needs");
    }
    return r;
  }

  /**
   * Verifies that {@code proof} proves the tree of {@code from} leaves with root {@code fromRoot} a
   * prefix of the tree of {@code to} leaves with root {@code toRoot} (RFC 9162 2.1.4.2).
   *
   * @throws ProofException when it does not
   */
  public static void verifyConsistency(
      long from, long to, byte[] fromRoot, byte[] toRoot, List<byte[]> proof)
      throws ProofException {
    if (from < 0 || to < from) {
      throw new ProofException("no tree of size " + from + " is a prefix of one of size " + to);
    }
    checkHashes(proof);
    if (from == 0) {
      // Every tree continues the empty one; a check "from 0" proves nothing and is refused, as in
      // transparency-dev/merkle (a witness treats an old size of 0 on its own).
      throw new ProofException("a consistency proof from the empty tree proves nothing");
    }
    if (from == to) {
      if (!proof.isEmpty()) {
        throw new ProofException("a tree is consistent with itself without a proof");
      }
      if (!MessageDigest.isEqual(fromRoot, toRoot)) {
        throw new ProofException("two trees of size " + to + " with different roots");
      }
      return;
    }
    if (proof.isEmpty()) {
      throw new ProofException("a consistency proof from " + from + " to " + to + " is empty");
    }
    checkHashes(List.of(fromRoot, toRoot));
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(from) == 1) {
      path.add(fromRoot);
    }
    path.addAll(proof);
    long fn = from - 1;
    long sn = to - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (int i = 1; i < path.size(); i++) {
      byte[] c = path.get(i);
      if (sn == 0) {
        throw new ProofException(
            "the consistency proof is longer than sizes " + from + " and " + to + " need");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleHash.node(c, fr);
        sr = MerkleHash.node(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = MerkleHash.node(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new ProofException(
          "the consistency proof is shorter than sizes " + from + " and " + to + " need");
    }
    if (!MessageDigest.isEqual(fr, fromRoot)) {
      throw new ProofException(
          "the consistency proof does not lead to the root of the tree of size " + from);
    }
    if (!MessageDigest.isEqual(sr, toRoot)) {
      throw new ProofException(
          "the consistency proof does not lead to the root of the tree of size " + to);
    }
  }

  private static void checkHashes(List<byte[]> proof) throws ProofException {
    for (int i = 0; i < proof.size(); i++) {
      if (proof.get(i) == null || proof.get(i).length != MerkleHash.LENGTH) {
        throw new ProofException(
            "proof hash "
                + i
                + " is "
                + (proof.get(i) == null ? "missing" : proof.get(i).length + " bytes")
                + ", want 32");
      }
    }
  }
}
