package dev.courier.outbox.contract;

import dev.courier.testsupport.database.TestDatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbOutboxIT extends OutboxContract {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.mariadb();

    @Override
    TestDatabaseExtension db() {
        return DB;
    }
}
