package dev.trustledger.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (a request it refuses before the API sees it, such as an ambiguous URI or a
 * malformed request line) answered as RFC 9457 problems too, never as an HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {

  /** Every method gets a problem body (Jetty's default writes one for GET and POST only). */
  @Override
  public boolean errorPageForMethod(String method) {
    return !"HEAD".equals(method);
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE + "; charset=utf-8");
    response.write(true, body(code, message, Request.getPathInContext(request)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE + "; charset=utf-8");
    return body(status, reason, null);
  }

  private static ByteBuffer body(int code, String message, String path) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("type", Problems.TYPE_PREFIX + (code == 400 ? "bad-request" : "http-" + code));
    body.put("title", HttpStatus.getMessage(code));
    body.put("status", code);
    body.put("detail", message == null ? HttpStatus.getMessage(code) : message);
    if (path != null) {
      body.put("instance", path);
    }
    return ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8));
  }
}
