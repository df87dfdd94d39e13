package dev.trustledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;

/**
 * Validates responses against {@code openapi.yaml}, the API's source of truth: the operation and
 * status must be documented, and the body must match the documented schema (JSON Schema 2020-12, as
 * OpenAPI 3.1 uses).
 */
final class OpenApiContract {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode DOCUMENT = load();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private OpenApiContract() {}

  private static JsonNode load() {
    try (InputStream in = OpenApiContract.class.getResourceAsStream("/openapi.yaml")) {
      String text = JSON.writeValueAsString(YAML.readTree(in));
      return JSON.readTree(text.replace("#/components/schemas/", "#/$defs/"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode document() {
    return DOCUMENT;
  }

  /** Asserts that {@code body} is what openapi.yaml documents for the operation and status. */
  static void check(String method, String template, int status, String contentType, String body) {
    JsonNode operation =
        DOCUMENT.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
    assertThat(operation.isMissingNode()).as("%s %s is documented", method, template).isFalse();
    JsonNode response = operation.path("responses").path(Integer.toString(status));
    assertThat(response.isMissingNode())
        .as("%s %s documents status %d", method, template, status)
        .isFalse();
    if (response.has("$ref")) {
      String name = response.get("$ref").asText().substring("#/components/responses/".length());
      response = DOCUMENT.path("components").path("responses").path(name);
    }
    String mediaType = contentType == null ? "" : contentType.split(";")[0].trim();
    JsonNode media = response.path("content").path(mediaType);
    assertThat(media.isMissingNode())
        .as("%s %s %d documents content type %s", method, template, status, mediaType)
        .isFalse();
    if (!mediaType.endsWith("json")) {
      return;
    }
    ObjectNode schemaNode = ((ObjectNode) media.path("schema")).deepCopy();
    schemaNode.set("$defs", DOCUMENT.path("components").path("schemas"));
    schemaNode.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    JsonSchema schema = FACTORY.getSchema(schemaNode);
    JsonNode value;
    try {
      value = JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("response is not JSON: " + body, e);
    }
    Set<ValidationMessage> errors = schema.validate(value);
    assertThat(errors).as("%s %s %d body %s", method, template, status, body).isEmpty();
  }
}
