package dev.trustledger.witness;

import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;

/** The HTTP interface of a {@link Witness}: submission and monitoring prefixes are the root. */
public final class WitnessServer {
  /** Largest request body: 63 proof lines and a checkpoint with some signatures. */
  static final int MAX_BODY = 64 * 1024;

  private WitnessServer() {}

  public static Javalin create(Witness witness) {
    return Javalin.create(
        config -> {
          config.startup.showJavalinBanner = false;
          config.http.maxRequestSize = MAX_BODY;
          config.routes.post(
              "/add-checkpoint",
              ctx -> {
                Witness.Answer a =
                    witness.addCheckpoint(new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8));
                ctx.status(a.status()).contentType(a.contentType()).result(a.body());
              });
          config.routes.get(
              "/{originHash}/checkpoint",
              ctx -> {
                Witness.Answer a = witness.latest(ctx.pathParam("originHash"));
                ctx.status(a.status()).contentType(a.contentType()).result(a.body());
              });
          config.routes.get(
              "/healthz", ctx -> ctx.contentType("text/plain; charset=utf-8").result("ok\n"));
        });
  }
}
