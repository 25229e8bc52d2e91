package dev.courier.relay;

import dev.courier.testsupport.database.TestDatabaseExtension;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on MariaDB: no NOTIFY, so the relay polls adaptively (fast while rows keep coming). */
class MariaDbPollingRelayIT extends RelayContract {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.mariadb();

    @Override
    TestDatabaseExtension db() {
        return DB;
    }

    @Override
    Map<String, String> relaySettings() {
        return Map.of();
    }

    @Override
    String modeMetric() {
        return "courier_relay_partitions_owned [1-9]";
    }
}
