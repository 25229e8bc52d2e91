package dev.courier.rocketmq.fence;

import dev.courier.outbox.Database;
import dev.courier.testsupport.database.TestDatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbFenceIT extends FenceContract {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.mariadb();

    @Override
    TestDatabaseExtension db() {
        return DB;
    }

    @Override
    Database database() {
        return Database.MYSQL;
    }

    @Override
    String lockWaitersQuery() {
        return "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'";
    }
}
