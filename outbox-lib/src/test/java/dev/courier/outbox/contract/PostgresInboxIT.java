package dev.courier.outbox.contract;

import dev.courier.testsupport.database.TestDatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresInboxIT extends InboxContract {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    @Override
    TestDatabaseExtension db() {
        return DB;
    }

    @Override
    String lockWaitersQuery() {
        return "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()";
    }
}
