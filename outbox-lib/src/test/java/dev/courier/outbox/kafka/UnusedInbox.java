package dev.courier.outbox.kafka;

import dev.courier.outbox.inbox.Inbox;
import dev.courier.outbox.inbox.InboxResult;
import dev.courier.outbox.inbox.InboxWork;
import java.sql.Connection;
import java.time.Instant;

/** An inbox for tests of pure logic, which never receive anything. */
final class UnusedInbox implements Inbox {

    @Override
    public <T> InboxResult<T> receive(String messageId, InboxWork<T> work) {
        throw new UnsupportedOperationException("not received in this test");
    }

    @Override
    public <T> InboxResult<T> receive(String consumer, String messageId, InboxWork<T> work) {
        throw new UnsupportedOperationException("not received in this test");
    }

    @Override
    public Inbox on(Connection connection) {
        throw new UnsupportedOperationException("not received in this test");
    }

    @Override
    public long deleteReceivedBefore(Instant cutoff) {
        throw new UnsupportedOperationException("not received in this test");
    }
}
