package dev.courier.notifier.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierApi;
import dev.courier.notifier.support.NotifierApi.Reply;
import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.Receiver;
import dev.courier.notifier.support.Receiver.Request;
import dev.courier.notifier.support.TestApplications;
import dev.courier.receiver.WebhookVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Applications, subscriptions and messages over real HTTP: one message fans out to each enabled endpoint of its
 * application subscribed to its event type and channels, each delivery signed with its endpoint's secret and
 * followed on its own.
 */
class PostgresFanOutIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres("fan-out-it");

    private final TestApplications applications = new TestApplications(notifier);

    private String application(String prefix) {
        return applications.create(prefix);
    }

    private JsonNode endpoint(String application, String path, Object... fields) {
        return applications.endpoint(application, path, fields);
    }

    private Reply send(String application, String key, String eventType, Object payload, List<String> channels) {
        return applications.send(application, key, eventType, payload, channels);
    }

    private JsonNode awaitAllDelivered(String application, String messageId, int deliveries) {
        return applications.awaitAllDelivered(application, messageId, deliveries);
    }

    @Test
    void aMessageReachesEachSubscribedEnabledEndpointOfItsApplicationOnceSignedWithItsOwnSecret() {
        String shop = application("shop");
        String other = application("other");
        JsonNode all = endpoint(shop, "/fan/all");
        JsonNode payments = endpoint(shop, "/fan/payments", "eventTypes", List.of("payment.*"));
        endpoint(shop, "/fan/refunds", "eventTypes", List.of("refund.created"));
        endpoint(shop, "/fan/disabled", "eventTypes", List.of("payment.succeeded"), "enabled", false);
        endpoint(shop, "/fan/eu", "channels", List.of("eu"));
        endpoint(other, "/fan/other");

        Reply sent = send(shop, "pay-1", "payment.succeeded", Map.of("orderId", "42", "amount", 1299), null);

        assertThat(sent.status()).as(sent.raw().body()).isEqualTo(202);
        String messageId = sent.json().path("id").asString();
        assertThat(sent.json().path("deliveries")).hasSize(2);
        JsonNode message = awaitAllDelivered(shop, messageId, 2);
        List<String> reached = new ArrayList<>();
        message.path("deliveries").forEach(d -> reached.add(d.path("endpointId").asString()));
        assertThat(reached)
                .containsExactlyInAnyOrder(
                        all.path("id").asString(), payments.path("id").asString());
        for (JsonNode endpoint : List.of(all, payments)) {
            String path = endpoint.path("url").asString().replaceFirst("^http://[^/]+", "");
            List<Request> requests = notifier.receiver().requests(path);
            assertThat(requests).hasSize(1);
            Request request = requests.getFirst();
            assertThat(WebhookVerifier.of(endpoint.path("secret").asString()).verify(request::header, request.body()))
                    .as("webhook-id is the message's on every endpoint")
                    .isEqualTo(messageId);
            assertThat(NotifierApi.JSON.readTree(request.body()).path("orderId").asString())
                    .isEqualTo("42");
        }
        for (String path : List.of("/fan/refunds", "/fan/disabled", "/fan/eu", "/fan/other")) {
            assertThat(notifier.receiver().requests(path)).as(path).isEmpty();
        }
    }

    @Test
    void channelsNarrowWhoReceivesAMessage() {
        String shop = application("channels");
        endpoint(shop, "/channels/any");
        endpoint(shop, "/channels/eu", "channels", List.of("eu", "uk"));
        endpoint(shop, "/channels/us", "channels", List.of("us"));

        Reply sent = send(shop, "c-1", "payment.succeeded", Map.of("n", 1), List.of("eu"));

        awaitAllDelivered(shop, sent.json().path("id").asString(), 2);
        assertThat(notifier.receiver().requests("/channels/any")).hasSize(1);
        assertThat(notifier.receiver().requests("/channels/eu")).hasSize(1);
        assertThat(notifier.receiver().requests("/channels/us")).isEmpty();
    }

    @Test
    void aRepeatedKeyReturnsTheFirstMessageAndADifferentMessageUnderItIsAConflict() {
        String shop = application("idem");
        endpoint(shop, "/idem/all");

        Reply first = send(shop, "k-1", "payment.succeeded", Map.of("n", 1), null);
        Reply again = send(shop, "k-1", "payment.succeeded", Map.of("n", 1), null);
        Reply changed = send(shop, "k-1", "payment.succeeded", Map.of("n", 2), null);
        Reply otherType = send(shop, "k-1", "payment.failed", Map.of("n", 1), null);

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("id").asString())
                .isEqualTo(first.json().path("id").asString());
        assertThat(again.json().path("deliveries")).hasSize(1);
        assertThat(changed.status()).isEqualTo(409);
        assertThat(otherType.status()).isEqualTo(409);
        awaitAllDelivered(shop, first.json().path("id").asString(), 1);
        assertThat(notifier.receiver().requests("/idem/all")).hasSize(1);
    }

    @Test
    void aMessageIsRedeliveredToOneEndpointOrToAll() {
        String shop = application("redeliver");
        JsonNode a = endpoint(shop, "/redeliver/a");
        endpoint(shop, "/redeliver/b");
        String messageId = send(shop, "r-1", "payment.succeeded", Map.of("n", 1), null)
                .json()
                .path("id")
                .asString();
        awaitAllDelivered(shop, messageId, 2);
        String path = "/api/applications/" + shop + "/messages/" + messageId + "/redeliver";

        Reply one = notifier.api().post(path, Map.of("endpointId", a.path("id").asString()));

        assertThat(one.status()).isEqualTo(202);
        assertThat(one.json().path("redelivered").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> notifier.receiver().requests("/redeliver/a").size() == 2);
        awaitAllDelivered(shop, messageId, 2);
        assertThat(notifier.receiver().requests("/redeliver/b")).hasSize(1);

        Reply both = notifier.api().post(path, Map.of());

        assertThat(both.json().path("redelivered").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> notifier.receiver().requests("/redeliver/a").size() == 3
                        && notifier.receiver().requests("/redeliver/b").size() == 2);
    }

    @Test
    void aRecoveryCoversEveryEndpointOfTheApplicationAndNoOther() {
        String shop = application("recover");
        String other = application("recover-other");
        endpoint(shop, "/recover/a");
        endpoint(shop, "/recover/b");
        endpoint(other, "/recover/c");
        Instant from = Instant.now().minusSeconds(1);
        String mine = send(shop, "rc-1", "payment.succeeded", Map.of("n", 1), null)
                .json()
                .path("id")
                .asString();
        String theirs = send(other, "rc-1", "payment.succeeded", Map.of("n", 1), null)
                .json()
                .path("id")
                .asString();
        awaitAllDelivered(shop, mine, 2);
        awaitAllDelivered(other, theirs, 1);

        Reply recovered = notifier.api()
                .post(
                        "/api/applications/" + shop + "/recoveries",
                        Map.of(
                                "from",
                                from.toString(),
                                "to",
                                Instant.now().plusSeconds(1).toString(),
                                "includeDelivered",
                                true));

        assertThat(recovered.status()).as(recovered.raw().body()).isEqualTo(202);
        assertThat(recovered.json().path("redelivered").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> notifier.receiver().requests("/recover/a").size() == 2
                        && notifier.receiver().requests("/recover/b").size() == 2);
        assertThat(notifier.receiver().requests("/recover/c")).hasSize(1);
    }

    @Test
    void deliveriesAreListedAndReadWithTheirAttemptsUnderTheirApplication() {
        String shop = application("list");
        JsonNode a = endpoint(shop, "/list/a", "eventTypes", List.of("payment.succeeded"));
        endpoint(shop, "/list/b", "eventTypes", List.of("refund.*"));
        String paid = send(shop, "l-1", "payment.succeeded", Map.of("n", 1), null)
                .json()
                .path("id")
                .asString();
        String refunded = send(shop, "l-2", "refund.created", Map.of("n", 2), null)
                .json()
                .path("id")
                .asString();
        awaitAllDelivered(shop, paid, 1);
        awaitAllDelivered(shop, refunded, 1);

        JsonNode deliveries = notifier.api()
                .get("/api/applications/" + shop + "/deliveries?eventType=payment.succeeded")
                .json();
        assertThat(deliveries).hasSize(1);
        JsonNode delivery = deliveries.get(0);
        assertThat(delivery.path("endpointId").asString())
                .isEqualTo(a.path("id").asString());
        assertThat(delivery.path("messageId").asString()).isEqualTo(paid);
        assertThat(delivery.path("payload").path("n").asInt()).isEqualTo(1);
        JsonNode read = notifier.api()
                .get("/api/applications/" + shop + "/deliveries/"
                        + delivery.path("id").asString())
                .json();
        assertThat(read.path("attempts")).hasSize(1);
        assertThat(read.path("attempts").get(0).path("statusCode").asInt()).isEqualTo(200);
        JsonNode messages =
                notifier.api().get("/api/applications/" + shop + "/messages").json();
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).path("id").asString()).as("newest first").isEqualTo(refunded);
    }

    @Test
    void badApplicationsSubscriptionsAndMessagesAreRefusedNamingEveryProblem() {
        Reply badApplication = notifier.api()
                .post("/api/applications", Map.of("id", "../x", "ratePerSecond", 0, "maxConcurrency", -1));
        assertThat(badApplication.status()).isEqualTo(400);
        assertThat(badApplication.json().path("errors").toString())
                .contains("id:", "ratePerSecond:", "maxConcurrency:");

        String shop = application("bad");
        assertThat(notifier.api().post("/api/applications", Map.of("id", shop)).status())
                .isEqualTo(409);
        Reply badEndpoint = notifier.api()
                .post(
                        "/api/applications/" + shop + "/endpoints",
                        Map.of(
                                "url",
                                notifier.receiver().url("/bad"),
                                "eventTypes",
                                List.of("payment.*.x", "*payment"),
                                "channels",
                                List.of("e u")));
        assertThat(badEndpoint.status()).isEqualTo(400);
        assertThat(badEndpoint.json().path("errors").toString()).contains("eventTypes:", "channels:");

        Reply badMessage = notifier.api()
                .post(
                        "/api/applications/" + shop + "/messages",
                        Map.of("eventType", "a b", "channels", List.of("x\u0000"), "payload", Map.of()),
                        Map.of());
        assertThat(badMessage.status()).isEqualTo(400);
        assertThat(badMessage.json().path("errors").toString()).contains("Idempotency-Key:", "eventType:", "channels:");
        assertThat(notifier.api()
                        .post(
                                "/api/applications/" + shop + "/messages",
                                Map.of("eventType", "a", "channels", "eu", "payload", 1),
                                Map.of("Idempotency-Key", "k"))
                        .status())
                .isEqualTo(400);
        assertThat(send("no-such-application", "k", "payment.succeeded", Map.of(), null)
                        .status())
                .isEqualTo(404);
        assertThat(notifier.jdbc()
                        .sql("SELECT count(*) FROM notifier_message WHERE application_id = ?")
                        .param(shop)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void anOrderedEndpointHoldsAMessagesDeliveryBehindThePendingOneOfItsKeyWhileOthersReceiveIt() {
        String shop = application("ordered");
        AtomicBoolean down = new AtomicBoolean(true);
        notifier.receiver()
                .on(
                        "/ordered-fan/ordered",
                        request -> down.get() && request.body().contains("\"n\":1")
                                ? Receiver.Answer.of(500, "down")
                                : Receiver.Answer.ok());
        endpoint(shop, "/ordered-fan/ordered", "ordering", "ordered", "retryProfile", "custom:200ms,200ms,200ms,200ms");
        endpoint(shop, "/ordered-fan/parallel");
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            Map<String, Object> body =
                    Map.of("eventType", "order.updated", "orderingKey", "order-7", "payload", Map.of("n", n));
            Reply reply = notifier.api()
                    .post("/api/applications/" + shop + "/messages", body, Map.of("Idempotency-Key", "o-" + n));
            assertThat(reply.status()).isEqualTo(202);
            ids.add(reply.json().path("id").asString());
        }

        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        notifier.receiver().requests("/ordered-fan/parallel").size() == 3);
        JsonNode second = applications.message(shop, ids.get(1));
        assertThat(second.path("orderingKey").asString()).isEqualTo("order-7");
        assertThat(second.path("deliveries").toString()).contains("\"held\":true");

        down.set(false);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> notifier.receiver().requests("/ordered-fan/ordered").stream()
                                .filter(r -> r.body().contains("\"n\":3"))
                                .count()
                        == 1);
        List<String> order = notifier.receiver().requests("/ordered-fan/ordered").stream()
                .map(r -> NotifierApi.JSON.readTree(r.body()).path("n").asString())
                .toList();
        assertThat(order.stream().distinct().toList()).containsExactly("1", "2", "3");
        assertThat(order.indexOf("2")).isGreaterThan(order.lastIndexOf("1"));
    }
}
