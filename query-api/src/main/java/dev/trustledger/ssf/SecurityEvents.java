package dev.trustledger.ssf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trustledger.avro.PrincipalKind;
import dev.trustledger.avro.PrincipalStatus;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.encoding.Base64Url;
import dev.trustledger.ledger.view.ReadModel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * OpenID Shared Signals security event tokens (RFC 8417 SETs, signed as JWS with EdDSA, RFC 8037)
 * for the status changes gateways must act on: an agent or sponsor suspended (RISC
 * account-disabled), reinstated (RISC account-enabled), or revoked (RISC account-purged: no event
 * can bring it back). Pure functions: the same change always gives the same token id.
 */
public final class SecurityEvents {
  public static final String RISC = "https://schemas.openid.net/secevent/risc/event-type/";
  public static final String DISABLED = RISC + "account-disabled";
  public static final String ENABLED = RISC + "account-enabled";
  public static final String PURGED = RISC + "account-purged";
  public static final String MEDIA_TYPE = "application/secevent+jwt";

  private static final ObjectMapper JSON = new ObjectMapper();

  private SecurityEvents() {}

  /**
   * The event type a change calls for, if any: a status change of a principal to suspended, revoked
   * or (from suspended) active. Registration is not an event.
   */
  public static Optional<String> eventType(ReadModel.Change c) {
    if (c.state() == null
        || !c.kinds().contains(ReadModel.Kind.STATUS)
        || c.status() == null
        || c.state().getKind() == PrincipalKind.LEDGER) {
      return Optional.empty();
    }
    PrincipalStatus status = c.status().status();
    if (status == PrincipalStatus.REVOKED) {
      return Optional.of(PURGED);
    }
    if (status == PrincipalStatus.SUSPENDED) {
      return Optional.of(DISABLED);
    }
    // Active: an event only when it was not a registration (its chain has more than the first).
    return c.state().getChainSeq() > 0 ? Optional.of(ENABLED) : Optional.empty();
  }

  /** The token's id: the ledger, and the change's place in ledger.views. */
  public static String jti(String ledgerId, ReadModel.Change c) {
    return ledgerId + ":" + c.offset() + "-" + c.index();
  }

  /**
   * The SET of a change, signed by {@code key}.
   *
   * @param issuer the {@code iss} claim
   * @param audience the {@code aud} claim, or null
   * @param nowMs issue time
   */
  public static String token(
      String issuer,
      String audience,
      String ledgerId,
      ReadModel.Change c,
      String eventType,
      long nowMs,
      Ed25519PrivateKey key) {
    ObjectNode header = JSON.createObjectNode();
    header.put("alg", "EdDSA");
    header.put("typ", "secevent+jwt");
    header.put("kid", keyId(key.publicKey()));
    ObjectNode claims = JSON.createObjectNode();
    claims.put("iss", issuer);
    if (audience != null && !audience.isEmpty()) {
      claims.put("aud", audience);
    }
    claims.put("jti", jti(ledgerId, c));
    claims.put("iat", nowMs / 1000);
    ObjectNode sub = claims.putObject("sub_id");
    sub.put("format", "opaque");
    sub.put("id", c.id());
    ObjectNode event = claims.putObject("events").putObject(eventType);
    event.put("event_timestamp", nowMs / 1000);
    String cause = c.status().cause();
    ObjectNode ext = event.putObject("trustledger");
    ext.put("kind", c.state().getKind().name().toLowerCase(java.util.Locale.ROOT));
    ext.put("status", c.status().status().name().toLowerCase(java.util.Locale.ROOT));
    ext.put("own_status", c.state().getStatus().name().toLowerCase(java.util.Locale.ROOT));
    if (cause != null) {
      ext.put("status_cause", cause);
    }
    if (c.ledgerSeq() >= 0) {
      ext.put("ledger_seq", c.ledgerSeq());
    }
    if (c.state().getSponsorId() != null) {
      ext.put("sponsor_id", c.state().getSponsorId());
    }
    String input =
        Base64Url.encode(header.toString().getBytes(StandardCharsets.UTF_8))
            + "."
            + Base64Url.encode(claims.toString().getBytes(StandardCharsets.UTF_8));
    byte[] signature = key.sign(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + Base64Url.encode(signature);
  }

  /** The JWK key id of a ledger key: its raw public key, base64url (RFC 8037 "x"). */
  public static String keyId(Ed25519PublicKey key) {
    return Base64Url.encode(key.raw());
  }

  /** The JWK of a ledger key (RFC 8037). */
  public static ObjectNode jwk(Ed25519PublicKey key) {
    ObjectNode jwk = JSON.createObjectNode();
    jwk.put("kty", "OKP");
    jwk.put("crv", "Ed25519");
    jwk.put("x", Base64Url.encode(key.raw()));
    jwk.put("kid", keyId(key));
    jwk.put("use", "sig");
    jwk.put("alg", "EdDSA");
    return jwk;
  }
}
