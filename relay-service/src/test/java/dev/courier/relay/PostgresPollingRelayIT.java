package dev.courier.relay;

import dev.courier.testsupport.database.TestDatabaseExtension;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract on PostgreSQL. The safety poll is a minute, so every delivery within seconds proves the LISTEN/NOTIFY
 * wake-up.
 */
class PostgresPollingRelayIT extends RelayContract {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    @Override
    TestDatabaseExtension db() {
        return DB;
    }

    @Override
    Map<String, String> relaySettings() {
        return Map.of("courier.relay.poll.safety-interval", "60s");
    }

    @Override
    String modeMetric() {
        return "courier_relay_partitions_owned [1-9]";
    }
}
