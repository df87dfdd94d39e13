package dev.trustledger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * What a checking command says: lines for a person, or (with {@code --json}) one JSON object with
 * {@code ok}, the command's fields and its {@code messages}.
 */
final class Report {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintWriter out;
  private final boolean json;
  private final ObjectNode fields = JSON.createObjectNode();
  private final ArrayNode messages = JSON.createArrayNode();

  Report(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  /** Where helpers that print as they check write: nowhere in JSON mode. */
  PrintWriter printer() {
    return json ? new PrintWriter(Writer.nullWriter()) : out;
  }

  void line(String text) {
    if (json) {
      messages.add(text);
    } else {
      out.println(text);
    }
  }

  ObjectNode fields() {
    return fields;
  }

  /** Ends the command with {@code exit}: prints the JSON object in JSON mode. */
  int done(int exit) {
    if (json) {
      ObjectNode o = JSON.createObjectNode().put("ok", exit == ExitCodes.OK);
      o.setAll(fields);
      o.set("messages", messages);
      out.println(o.toPrettyString());
    }
    return exit;
  }
}
