package dev.trustledger.bench;

import dev.trustledger.avro.SignedEvent;
import dev.trustledger.crypto.Ed25519PrivateKey;
import dev.trustledger.crypto.Ed25519PublicKey;
import dev.trustledger.event.SigningBytes;
import dev.trustledger.testutil.SampleEvents;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the project's Ed25519 API over real signing bytes (an agent registration, about 300
 * bytes), beside the JDK's built-in Ed25519 for comparison. Run with one and two threads ({@code -t
 * 1}, {@code -t 2}); see docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Ed25519Benchmark {
  private Ed25519PrivateKey key;
  private Ed25519PublicKey publicKey;
  private byte[] message;
  private byte[] signature;
  private PublicKey jdkKey;
  private SignedEvent event;
  private final byte[] macKey = new byte[32];

  @Setup
  public void setUp() throws Exception {
    key = SampleEvents.SPONSOR;
    publicKey = key.publicKey();
    event = SampleEvents.agentRegistration();
    message = SigningBytes.of(event);
    signature = key.sign(message);
    byte[] spki = new byte[44];
    System.arraycopy(
        new byte[] {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00},
        0,
        spki,
        0,
        12);
    System.arraycopy(publicKey.raw(), 0, spki, 12, 32);
    jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
  }

  @Benchmark
  public byte[] sign() {
    return key.sign(message);
  }

  /**
   * What authenticating one sequencer input costs (HMAC-SHA-256 with a fresh {@code Mac}, as the
   * ledger's AuthenticatedSerde computes it, over the event's bytes), beside {@link #verify()}.
   */
  @Benchmark
  public byte[] sequencerMac() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
    return mac.doFinal(message);
  }

  @Benchmark
  public boolean verify() {
    return publicKey.verify(message, signature);
  }

  /** Signing bytes of the event plus verification: the ledger's per-event signature cost. */
  @Benchmark
  public boolean signingBytesAndVerify() {
    return publicKey.verify(SigningBytes.of(event), signature);
  }

  @Benchmark
  public boolean jdkVerify() throws Exception {
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(jdkKey);
    verifier.update(message);
    return verifier.verify(signature);
  }
}
