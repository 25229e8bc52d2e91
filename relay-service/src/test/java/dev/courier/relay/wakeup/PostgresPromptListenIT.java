package dev.courier.relay.wakeup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.outbox.wakeup.PromptProbeSocketFactory;
import dev.courier.relay.db.DedicatedConnection;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** The relay's LISTEN session, over {@link PromptProbeSocketFactory}: it receives every notification, in order. */
class PostgresPromptListenIT {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    @Test
    void everyNotificationArrivesInOrderWhetherSentAloneOrInBursts() throws Exception {
        try (DedicatedConnection listening = new DedicatedConnection(
                        DB.database().jdbcUrl(),
                        DB.database().user(),
                        DB.database().password(),
                        "prompt-listen-test",
                        NotifyListener.SESSION_PROPERTIES);
                Connection sender = DB.connect()) {
            Connection session = listening.get();
            try (Statement listen = session.createStatement()) {
                listen.execute("LISTEN prompt_test");
            }
            List<String> sent = new ArrayList<>();
            try (PreparedStatement notify = sender.prepareStatement("SELECT pg_notify('prompt_test', ?)")) {
                for (int i = 0; i < 200; i++) {
                    // Alone, and in bursts of ten sent back to back: those arrive while a probe may be running.
                    int burst = i % 20 == 0 ? 10 : 1;
                    for (int j = 0; j < burst; j++) {
                        String payload = i + "." + j;
                        notify.setString(1, payload);
                        notify.execute();
                        sent.add(payload);
                    }
                }
            }
            List<String> received = new ArrayList<>();
            PGConnection pg = session.unwrap(PGConnection.class);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                PGNotification[] batch = pg.getNotifications(500);
                for (PGNotification notification : batch == null ? new PGNotification[0] : batch) {
                    received.add(notification.getParameter());
                }
            }
            assertThat(NotifyListener.SESSION_PROPERTIES)
                    .containsEntry("socketFactory", PromptProbeSocketFactory.class.getName());
            assertThat(received).containsExactlyElementsOf(sent);
            // The session is still usable for queries after all the probes.
            try (Statement query = session.createStatement()) {
                assertThat(query.executeQuery("SELECT 1").next()).isTrue();
            }
        }
    }
}
