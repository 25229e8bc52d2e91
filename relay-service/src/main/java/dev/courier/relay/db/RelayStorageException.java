package dev.courier.relay.db;

import dev.courier.relay.RelayException;
import java.sql.SQLException;

/** The relay's database could not be read or written; the operation may be retried once it is back. */
public final class RelayStorageException extends RelayException {

    public RelayStorageException(String operation, SQLException cause) {
        super("Database operation failed (" + operation + "): " + cause.getMessage(), cause);
    }
}
