package dev.courier.outbox.contract;

import dev.courier.testsupport.database.TestDatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbInboxIT extends InboxContract {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.mariadb();

    @Override
    TestDatabaseExtension db() {
        return DB;
    }

    @Override
    String lockWaitersQuery() {
        return "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'";
    }
}
