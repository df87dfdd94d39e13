package dev.trustledger.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The contract check itself catches undocumented shapes, statuses and operations. */
class OpenApiContractTest {
  private static final String VERIFY_OK =
      "{\"verified\":true,\"trusted\":true,\"status\":\"active\",\"trust_score\":50,\"reason\":\"ok\","
          + "\"status_cause\":null,\"missing_capabilities\":[]}";

  @Test
  void documentedBodyPasses() {
    assertThatCode(
            () -> OpenApiContract.check("POST", "/v1/verify", 200, "application/json", VERIFY_OK))
        .doesNotThrowAnyException();
  }

  @Test
  void undocumentedFieldFails() {
    String extra = VERIFY_OK.replace("}", ",\"surprise\":1}");
    assertThatThrownBy(
            () -> OpenApiContract.check("POST", "/v1/verify", 200, "application/json", extra))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void wrongTypeFails() {
    String wrong = VERIFY_OK.replace("\"trust_score\":50", "\"trust_score\":\"50\"");
    assertThatThrownBy(
            () -> OpenApiContract.check("POST", "/v1/verify", 200, "application/json", wrong))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void undocumentedStatusFails() {
    assertThatThrownBy(
            () -> OpenApiContract.check("POST", "/v1/verify", 418, "application/json", "{}"))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void undocumentedOperationFails() {
    assertThatThrownBy(
            () -> OpenApiContract.check("DELETE", "/v1/verify", 200, "application/json", "{}"))
        .isInstanceOf(AssertionError.class);
  }
}
