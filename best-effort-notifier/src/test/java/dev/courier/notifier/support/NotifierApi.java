package dev.courier.notifier.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The notifier's REST API as a test calls it: real HTTP with the bearer token. */
public final class NotifierApi {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final int port;
    private final String token;

    public NotifierApi(int port, String token) {
        this.port = port;
        this.token = token;
    }

    public NotifierApi withToken(String token) {
        return new NotifierApi(port, token);
    }

    /** A response with its body parsed as JSON (an empty object when there is none). */
    public record Reply(int status, JsonNode json, HttpResponse<String> raw) {
        public String contentType() {
            return raw.headers().firstValue("Content-Type").orElse("");
        }
    }

    public Reply get(String path) {
        return send(request(path).GET());
    }

    public Reply post(String path, Object body) {
        return post(path, body, Map.of());
    }

    public Reply post(String path, Object body, Map<String, String> headers) {
        String text = body instanceof String s ? s : JSON.writeValueAsString(body);
        HttpRequest.Builder request = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text));
        headers.forEach(request::header);
        return send(request);
    }

    public Reply patch(String path, Object body) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    public Reply delete(String path) {
        return send(request(path).DELETE());
    }

    /** Registers an endpoint and returns its JSON (with the secret, shown only here). */
    public JsonNode createEndpoint(Map<String, Object> fields) {
        Reply reply = post("/api/endpoints", fields);
        if (reply.status() != 201) {
            throw new IllegalStateException("endpoint not created: " + reply.status() + " "
                    + reply.raw().body());
        }
        return reply.json();
    }

    /** Submits a notification and returns its id. */
    public String notify(String endpointId, String key, Object payload) {
        Reply reply = post(
                "/api/notifications",
                Map.of("endpointId", endpointId, "eventType", "payment.succeeded", "payload", payload),
                Map.of("Idempotency-Key", key));
        if (reply.status() != 202 && reply.status() != 200) {
            throw new IllegalStateException("notification refused: " + reply.status() + " "
                    + reply.raw().body());
        }
        return reply.json().path("id").asString();
    }

    public JsonNode notification(String id) {
        return get("/api/notifications/" + id).json();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            } catch (RuntimeException notJson) {
                json = JSON.createObjectNode();
            }
            return new Reply(response.statusCode(), json, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
