package dev.trustledger.cli;

/** Exit codes of the {@code ledger} command. */
public final class ExitCodes {
  /** Success; for {@code verify}, trusted; for {@code audit}, everything verified. */
  public static final int OK = 0;

  /** The answer is no: not trusted, audit problems found, event rejected. */
  public static final int NO = 1;

  /** Bad usage: unknown option, missing argument (picocli's own code). */
  public static final int USAGE = 2;

  /** Something needed cannot be reached: broker, node, registry. */
  public static final int UNREACHABLE = 3;

  /** The agent, sponsor or file asked for does not exist. */
  public static final int NOT_FOUND = 4;

  /** A local resource cannot be used: port in use, unreadable key file, bad configuration. */
  public static final int ENVIRONMENT = 5;

  private ExitCodes() {}
}
