package dev.courier.rocketmq.fence;

import dev.courier.outbox.Database;
import dev.courier.testsupport.database.TestDatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresFenceIT extends FenceContract {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.postgres();

    @Override
    TestDatabaseExtension db() {
        return DB;
    }

    @Override
    Database database() {
        return Database.POSTGRESQL;
    }

    @Override
    String lockWaitersQuery() {
        return "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()";
    }
}
