package dev.courier.notifier.application;

import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.StateConflictException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Applications in PostgreSQL. */
public final class ApplicationStore {

    private static final String COLUMNS = "id, name, rate_per_second, max_concurrency, created_at, updated_at";

    private final JdbcClient jdbc;

    public ApplicationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @throws StateConflictException.AlreadyExists when the id is taken */
    public Application create(Application application) {
        return jdbc.sql("INSERT INTO notifier_application (id, name, rate_per_second, max_concurrency)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING " + COLUMNS)
                .params(application.id(), application.name(), application.ratePerSecond(), application.maxConcurrency())
                .query((rs, n) -> read(rs))
                .optional()
                .orElseThrow(
                        () -> new StateConflictException.AlreadyExists("application " + application.id() + " exists"));
    }

    public Application update(Application application) {
        return jdbc.sql("UPDATE notifier_application SET name = ?, rate_per_second = ?, max_concurrency = ?,"
                        + " updated_at = now() WHERE id = ? RETURNING " + COLUMNS)
                .params(application.name(), application.ratePerSecond(), application.maxConcurrency(), application.id())
                .query((rs, n) -> read(rs))
                .optional()
                .orElseThrow(() -> missing(application.id()));
    }

    /** The application; none for an id that no application can have (never asks the database about such text). */
    public Optional<Application> find(String id) {
        if (!ApplicationRequest.isId(id)) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifier_application WHERE id = ?")
                .param(id)
                .query((rs, n) -> read(rs))
                .optional();
    }

    /** The application, or a {@link NoSuchResourceException} naming it. */
    public Application existing(String id) {
        return find(id).orElseThrow(() -> missing(id));
    }

    /** A page of applications in id order, after {@code after} (exclusive) when it is not null. */
    public List<Application> list(String after, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notifier_application WHERE id > ? ORDER BY id LIMIT ?")
                .params(after == null ? "" : after, limit)
                .query((rs, n) -> read(rs))
                .list();
    }

    private static NoSuchResourceException missing(String id) {
        return new NoSuchResourceException("no application " + id);
    }

    private static Application read(ResultSet rs) throws SQLException {
        return new Application(
                rs.getString("id"),
                rs.getString("name"),
                rs.getInt("rate_per_second"),
                rs.getInt("max_concurrency"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
