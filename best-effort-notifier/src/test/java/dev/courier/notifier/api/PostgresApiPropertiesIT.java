package dev.courier.notifier.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.notifier.support.NotifierApi;
import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.NotifierInstance;
import dev.courier.testsupport.hostile.HostileValues;
import dev.courier.testsupport.hostile.RawHttp;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Properties of every write and read of the REST API under generated hostile input (see {@link HostileValues}):
 * never a 5xx; a 4xx is a problem+json and stores nothing; a 2xx stores what reads back equal. Each sample is one
 * seed; a failure names it, and {@code -Dcourier.test.seed=<seed>} runs it again first.
 */
class PostgresApiPropertiesIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres("properties-it");

    static String endpointId;
    static final String APPLICATION = "properties-shop";

    static Stream<Long> seeds() {
        return HostileValues.seeds(Integer.getInteger("courier.test.samples", 150));
    }

    @BeforeAll
    static void start() {
        endpointId = notifier.api()
                .createEndpoint(Map.of("url", notifier.receiver().url("/properties")))
                .path("id")
                .asString();
        assertThat(notifier.api()
                        .post("/api/applications", Map.of("id", APPLICATION))
                        .status())
                .isEqualTo(201);
        assertThat(notifier.api()
                        .post(
                                "/api/applications/" + APPLICATION + "/endpoints",
                                Map.of("url", notifier.receiver().url("/properties-shop")))
                        .status())
                .isEqualTo(201);
    }

    /** The fields a notification and a message share: event type, payload, headers; each often hostile. */
    static Map<String, Function<Random, String>> submissionFields() {
        Map<String, Function<Random, String>> fields = new LinkedHashMap<>();
        fields.put(
                "eventType", r -> HostileValues.string(r.nextBoolean() ? "payment.succeeded" : HostileValues.text(r)));
        fields.put("payload", r -> HostileValues.json(r, 3));
        fields.put(
                "headers",
                r -> "{" + HostileValues.string(r.nextBoolean() ? "X-Order" : HostileValues.text(r)) + ":"
                        + HostileValues.string(r.nextBoolean() ? "o-1" : HostileValues.text(r)) + "}");
        return fields;
    }

    /** Mostly an {@code Idempotency-Key} header, usual or hostile; now and then none. */
    static Map<String, String> idempotencyKey(Random random, String usual) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (random.nextInt(5) > 0) {
            // A client cannot send CR or LF in a header value; every other character is tried.
            headers.put(
                    "Idempotency-Key",
                    (random.nextBoolean() ? usual : HostileValues.text(random)).replaceAll("[\\r\\n]", " "));
        }
        return headers;
    }

    /** A JSON list of up to four strings, each often hostile, or now and then not a list of strings at all. */
    static String strings(Random random, String usual) {
        return switch (random.nextInt(8)) {
            case 0 -> HostileValues.string(usual);
            case 1 -> "[1, null]";
            default -> {
                StringBuilder b = new StringBuilder("[");
                for (int i = random.nextInt(5); i > 0; i--) {
                    b.append(b.length() > 1 ? "," : "")
                            .append(HostileValues.string(random.nextBoolean() ? usual : HostileValues.text(random)));
                }
                yield b.append(']').toString();
            }
        };
    }

    static long rows(String table) {
        return notifier.jdbc()
                .sql("SELECT count(*) FROM " + table)
                .query(Long.class)
                .single();
    }

    static RawHttp.Answer send(String method, String path, Map<String, String> headers, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Authorization", "Bearer " + NotifierInstance.TOKEN);
        all.put("Content-Type", "application/json");
        try {
            return RawHttp.send(notifier.port(), method, path, all, body);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " got no answer", e);
        }
    }

    /**
     * Never a 5xx; a refusal that reached the application is a problem naming its status. Tomcat itself answers 400
     * (a bare page, no details) to requests that are not valid HTTP, such as an encoded slash in the path or a
     * control character in a header, before any application code runs; those are refusals too.
     */
    static void assertNoServerErrorAndProblemOnRefusal(long seed, RawHttp.Answer answer) {
        assertThat(answer.status())
                .as("seed %d answered %s", seed, answer.body())
                .isLessThan(500);
        if (answer.status() >= 400) {
            boolean problem = answer.body().contains("\"status\":" + answer.status());
            boolean refusedByTomcat = answer.status() == 400 && answer.body().startsWith("<!doctype html>");
            assertThat(problem || refusedByTomcat)
                    .as("seed %d: a refusal is a problem, was %s", seed, answer.body())
                    .isTrue();
            assertThat(answer.body()).as("seed %d", seed).doesNotContain("at org.", "at dev.", "Tomcat/");
        }
    }

    static final Map<String, Function<Random, String>> ENDPOINT_FIELDS = endpointFields();

    static Map<String, Function<Random, String>> endpointFields() {
        Map<String, Function<Random, String>> fields = new LinkedHashMap<>();
        fields.put(
                "url",
                r -> HostileValues.string(List.of(
                                "https://merchant.example/hook",
                                "http://127.0.0.1:" + (r.nextBoolean() ? "8083" : "99999") + "/x",
                                "http://[::1]:" + r.nextInt(70_000) + "/",
                                "http://user:pass@merchant.example/",
                                "javascript:alert(1)",
                                "https://merchant.example/" + HostileValues.text(r),
                                "https://" + HostileValues.randomText(r, 30) + "/")
                        .get(r.nextInt(7))));
        fields.put("description", r -> HostileValues.string(HostileValues.text(r)));
        fields.put(
                "retryProfile",
                r -> HostileValues.string(List.of(
                                "wechat-pay",
                                "ALIPAY ",
                                "custom:9223372036854775807d",
                                "custom:" + "1000000ms,".repeat(1 + r.nextInt(120)) + "1s",
                                "exponential:1s,7d,100",
                                "exponential:99999999999999999999s,1d,3",
                                "custom:" + r.nextInt(1_000_000) + "ms")
                        .get(r.nextInt(7))));
        fields.put("ackMatcher", r -> HostileValues.string(r.nextBoolean() ? "any-2xx" : HostileValues.text(r)));
        fields.put("timeoutMs", r -> Integer.toString(r.nextInt(40_000) - 1000));
        fields.put("maxConcurrency", r -> Integer.toString(r.nextInt(2000) - 10));
        fields.put("ratePerSecond", r -> Integer.toString(r.nextInt(200_000) - 10));
        fields.put("headers", r -> {
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                headers.put(
                        r.nextBoolean() ? "X-Merchant-" + i : HostileValues.text(r),
                        r.nextInt(5) == 0
                                ? "null"
                                : HostileValues.string(r.nextBoolean() ? "m-42" : HostileValues.text(r)));
            }
            StringBuilder b = new StringBuilder("{");
            headers.forEach((k, v) -> b.append(b.length() > 1 ? "," : "")
                    .append(HostileValues.string(k))
                    .append(':')
                    .append(v));
            return b.append('}').toString();
        });
        fields.put("enabled", r -> r.nextBoolean() ? "true" : "\"yes\"");
        fields.put(
                "ordering",
                r -> HostileValues.string(List.of("none", "ordered", "ordered-stop", HostileValues.text(r))
                        .get(r.nextInt(4))));
        fields.put(
                "preset",
                r -> HostileValues.string(List.of("wechat-pay-v3", "antom", "ALIPAY", HostileValues.text(r))
                        .get(r.nextInt(4))));
        fields.put(
                "presetsByEventType",
                r -> "{" + HostileValues.string(r.nextBoolean() ? "refund.*" : HostileValues.text(r)) + ":"
                        + (r.nextInt(5) == 0
                                ? "7"
                                : HostileValues.string(r.nextBoolean() ? "alipay" : HostileValues.text(r)))
                        + "}");
        fields.put(
                "signatureScheme",
                r -> HostileValues.string(
                        List.of("v1", "v1a", HostileValues.text(r)).get(r.nextInt(3))));
        fields.put(
                "secret",
                r -> HostileValues.string(
                        r.nextBoolean() ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : HostileValues.text(r)));
        return fields;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void creatingAnEndpointNeverFailsOnTheServerStoresNothingWhenRefusedAndReadsBackWhatWasAccepted(long seed) {
        Random random = new Random(seed);
        String json = HostileValues.object(random, ENDPOINT_FIELDS);
        long before = rows("notifier_endpoint");

        RawHttp.Answer answer = send("POST", "/api/endpoints", Map.of(), HostileValues.body(random, json));

        assertNoServerErrorAndProblemOnRefusal(seed, answer);
        if (answer.status() >= 400) {
            assertThat(rows("notifier_endpoint"))
                    .as("seed %d stored a refused endpoint", seed)
                    .isEqualTo(before);
            return;
        }
        assertThat(answer.status()).as("seed %d", seed).isEqualTo(201);
        JsonNode created = NotifierApi.JSON.readTree(answer.body());
        JsonNode read = notifier.api()
                .get("/api/endpoints/" + created.path("id").asString())
                .json();
        for (String field : List.of("url", "description", "retryProfile", "ackMatcher", "headers", "enabled")) {
            assertThat(read.path(field)).as("seed %d: %s", seed, field).isEqualTo(created.path(field));
        }
        JsonNode sent = NotifierApi.JSON.readTree(json);
        assertThat(read.path("url").asString())
                .as("seed %d", seed)
                .isEqualTo(sent.path("url").asString());
        if (sent.path("description").isString()) {
            assertThat(read.path("description").asString())
                    .as("seed %d", seed)
                    .isEqualTo(sent.path("description").asString());
        }
        assertThat(read.has("secret"))
                .as("seed %d: the secret is write-only", seed)
                .isFalse();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void updatingAnEndpointNeverFailsOnTheServerAndARefusalChangesNothing(long seed) {
        Random random = new Random(seed);
        JsonNode before = notifier.api().get("/api/endpoints/" + endpointId).json();
        Map<String, Function<Random, String>> fields = new LinkedHashMap<>(ENDPOINT_FIELDS);
        fields.remove("secret");
        fields.remove("signatureScheme");
        String json = HostileValues.object(random, fields);

        RawHttp.Answer answer =
                send("PATCH", "/api/endpoints/" + endpointId, Map.of(), HostileValues.body(random, json));

        assertNoServerErrorAndProblemOnRefusal(seed, answer);
        JsonNode after = notifier.api().get("/api/endpoints/" + endpointId).json();
        if (answer.status() >= 400) {
            assertThat(after).as("seed %d changed a refused endpoint", seed).isEqualTo(before);
        } else {
            assertThat(after.path("url"))
                    .isEqualTo(NotifierApi.JSON.readTree(answer.body()).path("url"));
            // Put the endpoint back, so that the next samples deliver to the receiver.
            notifier.api()
                    .patch(
                            "/api/endpoints/" + endpointId,
                            Map.of("url", notifier.receiver().url("/properties"), "enabled", true));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void acceptingANotificationNeverFailsOnTheServerStoresNothingWhenRefusedAndReadsBackWhatWasAccepted(long seed) {
        Random random = new Random(seed);
        Map<String, Function<Random, String>> fields = new LinkedHashMap<>();
        fields.put("endpointId", r -> HostileValues.string(endpointId));
        fields.putAll(submissionFields());
        String json = HostileValues.object(random, fields);
        Map<String, String> headers = idempotencyKey(random, "key-" + seed);
        long before = rows("notifier_notification");

        RawHttp.Answer answer = send("POST", "/api/notifications", headers, HostileValues.body(random, json));

        assertNoServerErrorAndProblemOnRefusal(seed, answer);
        if (answer.status() >= 400) {
            assertThat(rows("notifier_notification"))
                    .as("seed %d stored a refused notification", seed)
                    .isEqualTo(before);
            return;
        }
        JsonNode accepted = NotifierApi.JSON.readTree(answer.body());
        JsonNode read = notifier.api()
                .get("/api/notifications/" + accepted.path("id").asString())
                .json();
        JsonNode sent = NotifierApi.JSON.readTree(json);
        assertThat(read.path("eventType")).as("seed %d", seed).isEqualTo(sent.path("eventType"));
        assertThat(read.path("payload")).as("seed %d", seed).isEqualTo(sent.path("payload"));
        // A header travels as ISO-8859-1 bytes (RawHttp), a lone surrogate as '?', and HTTP drops the spaces and tabs
        // around a header value: what the server can read back is the key as the wire carried it.
        String keySent = new String(
                        headers.get("Idempotency-Key").getBytes(StandardCharsets.ISO_8859_1),
                        StandardCharsets.ISO_8859_1)
                .replaceAll("^[ \\t]+|[ \\t]+$", "");
        assertThat(read.path("idempotencyKey").asString()).as("seed %d", seed).isEqualTo(keySent);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void queriesAndCommandsWithHostileParametersNeverFailOnTheServer(long seed) {
        Random random = new Random(seed);
        String value = URLEncoder.encode(HostileValues.text(random), StandardCharsets.UTF_8);
        String[] paths = {
            "/api/notifications?status=" + value,
            "/api/notifications?from=" + value + "&to=" + value,
            "/api/notifications?limit=" + value,
            "/api/notifications?endpoint=" + value + "&before=" + value,
            "/api/endpoints?limit=" + value,
            "/api/endpoints/" + value,
            "/api/notifications/" + value,
            "/api/endpoints/" + endpointId + "/events?cursor=" + value + "&limit=" + value,
            "/api/endpoints/" + endpointId + "/health?window=" + value
        };
        for (String path : paths) {
            assertNoServerErrorAndProblemOnRefusal(seed, send("GET", path, Map.of(), null));
        }
        long before = rows("notifier_notification WHERE status = 'PENDING'");
        String recovery = HostileValues.object(
                random,
                Map.of(
                        "endpointId", r -> HostileValues.string(endpointId),
                        "from",
                                r -> HostileValues.string(
                                        r.nextBoolean() ? "2026-01-01T00:00:00Z" : HostileValues.text(r)),
                        "to",
                                r -> HostileValues.string(
                                        r.nextBoolean() ? "2026-01-01T00:00:01Z" : HostileValues.text(r)),
                        "includeDelivered", r -> "false"));
        RawHttp.Answer recovered = send("POST", "/api/recoveries", Map.of(), HostileValues.body(random, recovery));
        assertNoServerErrorAndProblemOnRefusal(seed, recovered);
        if (recovered.status() >= 400) {
            assertThat(rows("notifier_notification WHERE status = 'PENDING'"))
                    .as("seed %d: a refused recovery made notifications due", seed)
                    .isEqualTo(before);
        }
        String rotation = HostileValues.object(
                random,
                Map.of(
                        "secret", r -> HostileValues.string(HostileValues.text(r)),
                        "overlapSeconds", r -> Long.toString(r.nextLong())));
        assertNoServerErrorAndProblemOnRefusal(
                seed,
                send("POST", "/api/endpoints/" + value + "/secrets", Map.of(), HostileValues.body(random, rotation)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void applicationsAndTheirSubscriptionsNeverFailOnTheServerAndStoreNothingWhenRefused(long seed) {
        Random random = new Random(seed);
        Map<String, Function<Random, String>> application = new LinkedHashMap<>();
        application.put("id", r -> HostileValues.string(r.nextBoolean() ? "shop-" + seed : HostileValues.text(r)));
        application.put("name", r -> HostileValues.string(HostileValues.text(r)));
        application.put("ratePerSecond", r -> Long.toString(r.nextLong() % 200_000));
        application.put("maxConcurrency", r -> r.nextBoolean() ? "\"10\"" : Integer.toString(r.nextInt()));
        long applications = rows("notifier_application");

        RawHttp.Answer created = send(
                "POST",
                "/api/applications",
                Map.of(),
                HostileValues.body(random, HostileValues.object(random, application)));

        assertNoServerErrorAndProblemOnRefusal(seed, created);
        if (created.status() >= 400) {
            assertThat(rows("notifier_application")).as("seed %d", seed).isEqualTo(applications);
        }
        Map<String, Function<Random, String>> endpoint = new LinkedHashMap<>(ENDPOINT_FIELDS);
        endpoint.put("url", r -> HostileValues.string(notifier.receiver().url("/properties-shop")));
        endpoint.put("eventTypes", r -> strings(r, "payment.*"));
        endpoint.put("channels", r -> strings(r, "eu"));
        long endpoints = rows("notifier_endpoint");

        RawHttp.Answer subscribed = send(
                "POST",
                "/api/applications/" + APPLICATION + "/endpoints",
                Map.of(),
                HostileValues.body(random, HostileValues.object(random, endpoint)));

        assertNoServerErrorAndProblemOnRefusal(seed, subscribed);
        if (subscribed.status() >= 400) {
            assertThat(rows("notifier_endpoint")).as("seed %d", seed).isEqualTo(endpoints);
            return;
        }
        JsonNode accepted = NotifierApi.JSON.readTree(subscribed.body());
        JsonNode read = notifier.api()
                .get("/api/applications/" + APPLICATION + "/endpoints/"
                        + accepted.path("id").asString())
                .json();
        assertThat(read.path("eventTypes")).as("seed %d", seed).isEqualTo(accepted.path("eventTypes"));
        assertThat(read.path("channels")).as("seed %d", seed).isEqualTo(accepted.path("channels"));
        // Leave no endpoint that later samples' messages would fan out to and wait for.
        notifier.api()
                .patch(
                        "/api/applications/" + APPLICATION + "/endpoints/"
                                + accepted.path("id").asString(),
                        Map.of("enabled", false));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void sendingAMessageNeverFailsOnTheServerStoresNothingWhenRefusedAndReadsBackWhatWasAccepted(long seed) {
        Random random = new Random(seed);
        Map<String, Function<Random, String>> fields = new LinkedHashMap<>(submissionFields());
        fields.put("channels", r -> strings(r, "eu"));
        String json = HostileValues.object(random, fields);
        Map<String, String> headers = idempotencyKey(random, "message-" + seed);
        long messages = rows("notifier_message");
        long deliveries = rows("notifier_notification");

        RawHttp.Answer answer = send(
                "POST", "/api/applications/" + APPLICATION + "/messages", headers, HostileValues.body(random, json));

        assertNoServerErrorAndProblemOnRefusal(seed, answer);
        if (answer.status() >= 400) {
            assertThat(rows("notifier_message")).as("seed %d", seed).isEqualTo(messages);
            assertThat(rows("notifier_notification")).as("seed %d", seed).isEqualTo(deliveries);
            return;
        }
        JsonNode accepted = NotifierApi.JSON.readTree(answer.body());
        JsonNode read = notifier.api()
                .get("/api/applications/" + APPLICATION + "/messages/"
                        + accepted.path("id").asString())
                .json();
        JsonNode sent = NotifierApi.JSON.readTree(json);
        assertThat(read.path("eventType")).as("seed %d", seed).isEqualTo(sent.path("eventType"));
        assertThat(read.path("payload")).as("seed %d", seed).isEqualTo(sent.path("payload"));
        assertThat(read.path("deliveries").size())
                .as("seed %d", seed)
                .isEqualTo(accepted.path("deliveries").size());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void applicationQueriesWithHostileParametersNeverFailOnTheServer(long seed) {
        Random random = new Random(seed);
        String value = URLEncoder.encode(HostileValues.text(random), StandardCharsets.UTF_8);
        String app = "/api/applications/" + APPLICATION;
        String[] paths = {
            "/api/applications?after=" + value + "&limit=" + value,
            "/api/applications/" + value,
            "/api/applications/" + value + "/messages",
            "/api/applications/" + value + "/endpoints",
            app + "/messages?eventType=" + value + "&before=" + value + "&limit=" + value,
            app + "/messages/" + value,
            app + "/deliveries?eventType=" + value + "&message=" + value + "&status=" + value,
            app + "/deliveries/" + value,
            app + "/endpoints/" + value,
            "/api/notifications?eventType=" + value + "&message=" + value
        };
        for (String path : paths) {
            assertNoServerErrorAndProblemOnRefusal(seed, send("GET", path, Map.of(), null));
        }
        String redelivery = HostileValues.object(
                random,
                Map.of("endpointId", r -> HostileValues.string(r.nextBoolean() ? endpointId : HostileValues.text(r))));
        assertNoServerErrorAndProblemOnRefusal(
                seed,
                send(
                        "POST",
                        app + "/messages/" + value + "/redeliver",
                        Map.of(),
                        HostileValues.body(random, redelivery)));
        String token = HostileValues.object(
                random,
                Map.of(
                        "description", r -> HostileValues.string(HostileValues.text(r)),
                        "expiresInSeconds", r -> Long.toString(r.nextLong())));
        assertNoServerErrorAndProblemOnRefusal(
                seed, send("POST", app + "/tokens", Map.of(), HostileValues.body(random, token)));
        assertNoServerErrorAndProblemOnRefusal(seed, send("DELETE", app + "/tokens/" + value, Map.of(), null));
    }
}
