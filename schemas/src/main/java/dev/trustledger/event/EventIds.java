package dev.trustledger.event;

import java.util.UUID;
import java.util.regex.Pattern;

/** Client-chosen event ids: 1 to 64 characters of {@code [A-Za-z0-9._:-]}. */
public final class EventIds {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private EventIds() {}

  public static boolean isValid(String eventId) {
    return eventId != null && VALID.matcher(eventId).matches();
  }

  /** A fresh random id. */
  public static String random() {
    return UUID.randomUUID().toString();
  }
}
