package dev.courier.relay.lease;

import dev.courier.outbox.schema.SqlDialect;
import dev.courier.relay.db.Jdbc;
import dev.courier.relay.db.RelayTables;

/** Cluster-wide switches in the control table, read by every member on each lease tick. */
public final class RelayControl {

    private static final String PAUSED = "paused";

    private final Jdbc jdbc;
    private final SqlDialect dialect;
    private final RelayTables tables;

    public RelayControl(Jdbc jdbc, SqlDialect dialect, RelayTables tables) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.tables = tables;
    }

    public boolean paused() {
        return jdbc
                .query(
                        "SELECT value FROM " + tables.control() + " WHERE name = ?",
                        statement -> statement.setString(1, PAUSED),
                        row -> row.getString(1))
                .stream()
                .findFirst()
                .map(Boolean::parseBoolean)
                .orElse(false);
    }

    public void paused(boolean paused) {
        jdbc.update(
                dialect.upsert(
                        tables.control(),
                        "name, value, updated_at",
                        "?, ?, " + dialect.now(),
                        "name",
                        "value = " + dialect.excluded("value") + ", updated_at = " + dialect.excluded("updated_at")),
                statement -> {
                    statement.setString(1, PAUSED);
                    statement.setString(2, Boolean.toString(paused));
                });
    }
}
