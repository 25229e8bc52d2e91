package dev.courier.relay;

import dev.courier.testsupport.database.TestDatabaseExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract in cdc mode: Debezium reads the same outbox table's inserts from the WAL and the Kafka output must be
 * the same as polling mode's. The slot is dropped afterwards, so that no test leaves a slot holding WAL.
 */
class PostgresCdcRelayIT extends RelayContract {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    static final String SLOT = "courier_contract_" + ProcessHandle.current().pid();

    @Override
    TestDatabaseExtension db() {
        return DB;
    }

    @Override
    Map<String, String> relaySettings() {
        return Map.of("courier.relay.mode", "cdc", "courier.relay.cdc.slot", SLOT);
    }

    @Override
    String modeMetric() {
        return "courier_relay_cdc_leader 1";
    }

    @Override
    void afterRelayStopped() throws Exception {
        try (Connection connection = DB.dataSource().getConnection();
                PreparedStatement drop = connection.prepareStatement(
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
            drop.setString(1, SLOT);
            drop.executeQuery().close();
        }
    }
}
