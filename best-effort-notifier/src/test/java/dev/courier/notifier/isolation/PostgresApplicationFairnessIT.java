package dev.courier.notifier.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierExtension;
import dev.courier.notifier.support.Receiver;
import dev.courier.notifier.support.TestApplications;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fairness between tenants: an application's endpoints together get no more requests in flight and per second than
 * its share, however many endpoints it has, while another application's deliveries flow beside it.
 */
class PostgresApplicationFairnessIT {

    @RegisterExtension
    static final NotifierExtension notifier =
            NotifierExtension.postgres("fairness-it", Map.of("courier.notifier.max-in-flight", "64"));

    private final TestApplications applications = new TestApplications(notifier);

    @Test
    void anApplicationsEndpointsTogetherStayWithinItsConcurrencyWhileAnotherApplicationFlows() {
        String greedy = applications.create("greedy");
        assertThat(notifier.api()
                        .patch("/api/applications/" + greedy, Map.of("maxConcurrency", 3))
                        .status())
                .isEqualTo(200);
        String calm = applications.create("calm");
        Receiver.InFlight greedyInFlight =
                notifier.receiver().watch(request -> request.path().startsWith("/fair/greedy-"));
        for (int i = 0; i < 6; i++) {
            String path = "/fair/greedy-" + i;
            notifier.receiver().on(path, request -> Receiver.Answer.ok().delayed(300));
            applications.endpoint(greedy, path, "maxConcurrency", 10);
        }
        applications.endpoint(calm, "/fair/calm");
        for (int i = 0; i < 10; i++) {
            applications.sent(greedy, "g-" + i, "payment.succeeded", Map.of("n", i));
        }

        List<Instant> calmSent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calmSent.add(Instant.now());
            applications.sent(calm, "c-" + i, "payment.succeeded", Map.of("n", i));
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> notifier.receiver().requests("/fair/calm").size() == 10);
        long greedyDelivered = greedyRequests();
        assertThat(greedyDelivered)
                .as("the calm application's ten were delivered while the greedy one's 60 were still going out")
                .isLessThan(60);
        await().atMost(Duration.ofSeconds(60)).until(() -> greedyRequests() == 60);
        assertThat(greedyInFlight.most())
                .as("requests in flight to the greedy application's six endpoints together")
                .isBetween(2, 3);
        List<Receiver.Request> calmRequests = notifier.receiver().requests("/fair/calm");
        for (int i = 0; i < calmRequests.size(); i++) {
            assertThat(Duration.between(calmSent.get(i), calmRequests.get(i).receivedAt()))
                    .as("the calm application waited for nothing of the greedy one's backlog")
                    .isLessThan(Duration.ofSeconds(5));
        }
    }

    private static long greedyRequests() {
        long sum = 0;
        for (int i = 0; i < 6; i++) {
            sum += notifier.receiver().requests("/fair/greedy-" + i).size();
        }
        return sum;
    }

    @Test
    void anApplicationsEndpointsTogetherStayWithinItsRate() {
        String limited = applications.create("limited");
        assertThat(notifier.api()
                        .patch("/api/applications/" + limited, Map.of("ratePerSecond", 5))
                        .status())
                .isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            applications.endpoint(limited, "/rate/limited-" + i, "ratePerSecond", 100);
        }

        for (int i = 0; i < 10; i++) {
            applications.sent(limited, "l-" + i, "payment.succeeded", Map.of("n", i));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> limitedRequests().size() == 30);
        List<Instant> times = limitedRequests().stream()
                .map(Receiver.Request::receivedAt)
                .sorted()
                .toList();
        // 30 requests at 5 per one-second cycle take at least five cycle changes, however fast the machine.
        assertThat(Duration.between(times.getFirst(), times.getLast()))
                .as("30 requests to three endpoints of an application limited to 5 per second")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(4));
    }

    private static List<Receiver.Request> limitedRequests() {
        List<Receiver.Request> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            all.addAll(notifier.receiver().requests("/rate/limited-" + i));
        }
        return all;
    }
}
