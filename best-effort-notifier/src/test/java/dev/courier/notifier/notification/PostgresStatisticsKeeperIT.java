package dev.courier.notifier.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.notifier.support.NotifierExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A backlog that appears at once (here 5,000 notifications in one insert, into a table analyzed while empty) gets
 * fresh planner statistics within seconds, not at autovacuum's next visit.
 */
class PostgresStatisticsKeeperIT {

    @RegisterExtension
    static final NotifierExtension notifier = NotifierExtension.postgres("statistics-it");

    private static double knownRows() {
        return notifier.jdbc()
                .sql("SELECT reltuples FROM pg_class WHERE oid = 'notifier_notification'::regclass")
                .query(Double.class)
                .single();
    }

    @Test
    void analyzesTheTableSoonAfterABacklogAppearsAndNotAgainWhileItIsFresh() {
        notifier.jdbc().sql("ANALYZE notifier_notification").update();
        assertThat(knownRows()).isLessThan(1);
        // Disabled: the notifier must not deliver these while the test watches the statistics.
        String endpoint = notifier.api()
                .createEndpoint(Map.of("url", "http://127.0.0.1:9/never", "enabled", false))
                .path("id")
                .asString();

        notifier.jdbc()
                .sql("INSERT INTO notifier_notification (id, endpoint_id, source, idempotency_key, event_type, body,"
                        + " status, next_attempt_at) SELECT gen_random_uuid(), ?, 'test', gen_random_uuid()::text,"
                        + " 'test.event', '{}', 'PENDING', now() FROM generate_series(1, 5000)")
                .param(UUID.fromString(endpoint))
                .update();

        await().atMost(Duration.ofSeconds(20)).until(() -> knownRows() >= 5000);
        assertThat(notifier.bean(StatisticsKeeper.class).analyzeIfStale())
                .as("statistics just refreshed are not stale")
                .isFalse();
        // Only the columns statements filter on are sampled: statistics of the bodies made every analyze slow.
        assertThat(notifier.jdbc()
                        .sql("SELECT attname FROM pg_stats WHERE tablename = 'notifier_notification'")
                        .query(String.class)
                        .list())
                .contains("endpoint_id", "next_attempt_at", "status")
                .doesNotContain("body", "headers", "idempotency_key", "lease_owner");
    }
}
