package dev.courier.notifier.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierApi.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Applications, their endpoints and messages, as integration tests set them up through the operator's API. */
public final class TestApplications {

    private final NotifierExtension notifier;

    public TestApplications(NotifierExtension notifier) {
        this.notifier = notifier;
    }

    /** Creates an application with a fresh id starting with {@code prefix}; returns the id. */
    public String create(String prefix) {
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Reply reply = notifier.api().post("/api/applications", Map.of("id", id, "name", "Shop " + id));
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
        return id;
    }

    /**
     * Registers an endpoint of the application at {@code path} of the test's receiver, with the given fields (name,
     * value, ...); returns it as created (with its secret).
     */
    public JsonNode endpoint(String application, String path, Object... fields) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("url", notifier.receiver().url(path));
        for (int i = 0; i < fields.length; i += 2) {
            request.put((String) fields[i], fields[i + 1]);
        }
        Reply reply = notifier.api().post("/api/applications/" + application + "/endpoints", request);
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(201);
        return reply.json();
    }

    /** Sends a message; {@code channels} may be null. */
    public Reply send(String application, String key, String eventType, Object payload, List<String> channels) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventType", eventType);
        body.put("payload", payload);
        if (channels != null) {
            body.put("channels", channels);
        }
        return notifier.api()
                .post("/api/applications/" + application + "/messages", body, Map.of("Idempotency-Key", key));
    }

    /** Sends a message that must be accepted; returns its id. */
    public String sent(String application, String key, String eventType, Object payload) {
        Reply reply = send(application, key, eventType, payload, null);
        assertThat(reply.status()).as(reply.raw().body()).isIn(200, 202);
        return reply.json().path("id").asString();
    }

    public JsonNode message(String application, String messageId) {
        return notifier.api()
                .get("/api/applications/" + application + "/messages/" + messageId)
                .json();
    }

    /** Waits until exactly {@code count} of the application's deliveries have {@code status}; returns them. */
    public JsonNode awaitDeliveries(String application, String status, int count) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> notifier.api()
                                .get("/api/applications/" + application + "/deliveries?status=" + status)
                                .json(),
                        list -> list.size() == count);
    }

    /** Waits until the message has {@code deliveries} deliveries, all delivered; returns it. */
    public JsonNode awaitAllDelivered(String application, String messageId, int deliveries) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<String> statuses = new ArrayList<>();
            message(application, messageId)
                    .path("deliveries")
                    .forEach(d -> statuses.add(d.path("status").asString()));
            return statuses.size() == deliveries && statuses.stream().allMatch("DELIVERED"::equals);
        });
        return message(application, messageId);
    }
}
