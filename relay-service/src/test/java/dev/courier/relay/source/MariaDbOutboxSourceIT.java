package dev.courier.relay.source;

import dev.courier.testsupport.database.TestDatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbOutboxSourceIT extends OutboxSourceContract {

    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.mariadb();

    @Override
    TestDatabaseExtension db() {
        return DB;
    }

    @Override
    String insertWithSeq() {
        return "INSERT INTO courier_outbox (seq, id, aggregatetype, aggregateid, type, payload, headers, partition_no)";
    }
}
