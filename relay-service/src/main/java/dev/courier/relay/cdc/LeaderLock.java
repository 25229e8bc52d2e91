package dev.courier.relay.cdc;

import dev.courier.relay.db.DedicatedConnection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Leadership of one replication slot: a PostgreSQL session advisory lock held on a dedicated connection. The server
 * releases it the moment that session ends, so a killed leader frees it at once; a leader that cannot reach the
 * server any more sees its connection fail and steps down.
 */
final class LeaderLock implements AutoCloseable {

    /** First half of the two-part lock key: Courier's CDC leadership (ASCII "CDCL"). */
    private static final int LOCK_CLASS = 0x4344434c;

    private final DedicatedConnection session;
    private final String slot;

    LeaderLock(String url, String user, String password, String slot) {
        this.session = new DedicatedConnection(url, user, password, "courier-relay-cdc-leader");
        this.slot = slot;
    }

    /** Takes the lock if nobody holds it; true when this process leads now. */
    boolean tryAcquire() throws SQLException {
        try (PreparedStatement lock = session.get().prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
            lock.setInt(1, LOCK_CLASS);
            lock.setString(2, slot);
            try (ResultSet result = lock.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    /** Whether the session holding the lock is still alive (checked with a round trip). */
    boolean stillHeld() {
        return session.isValid(5);
    }

    /** Ends the session, which releases the lock. */
    @Override
    public void close() {
        session.close();
    }
}
