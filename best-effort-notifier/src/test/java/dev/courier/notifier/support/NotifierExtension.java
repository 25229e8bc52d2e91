package dev.courier.notifier.support;

import dev.courier.localservices.database.TestDatabase;
import dev.courier.testsupport.database.TestDatabaseExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What most notifier integration tests start once per class: a fresh PostgreSQL database, a notifier on it (in this
 * JVM, {@link NotifierInstance}) and a {@link Receiver} to deliver to; all closed after the class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NotifierExtension notifier = NotifierExtension.postgres("delivery-it");
 * }</pre>
 */
public final class NotifierExtension implements BeforeAllCallback, AfterAllCallback {

    private final TestDatabaseExtension db = TestDatabaseExtension.postgres();
    private final String instanceId;
    private final Map<String, String> overrides;
    private NotifierInstance instance;
    private Receiver receiver;
    private JdbcClient jdbc;

    private NotifierExtension(String instanceId, Map<String, String> overrides) {
        this.instanceId = instanceId;
        this.overrides = overrides;
    }

    /** A notifier named {@code instanceId} with the test settings of {@link NotifierInstance#settings}. */
    public static NotifierExtension postgres(String instanceId) {
        return new NotifierExtension(instanceId, Map.of());
    }

    /** The same, with {@code overrides} on top of the test settings. */
    public static NotifierExtension postgres(String instanceId, Map<String, String> overrides) {
        return new NotifierExtension(instanceId, new LinkedHashMap<>(overrides));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        db.beforeAll(context);
        receiver = Receiver.start();
        instance = NotifierInstance.start(db.database(), instanceId, overrides);
        jdbc = JdbcClient.create(db.dataSource());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (instance != null) {
                instance.close();
            }
            if (receiver != null) {
                receiver.close();
            }
        } finally {
            instance = null;
            receiver = null;
            jdbc = null;
            db.afterAll(context);
        }
    }

    public NotifierInstance instance() {
        if (instance == null) {
            throw new IllegalStateException("The notifier runs only between @BeforeAll and @AfterAll");
        }
        return instance;
    }

    public NotifierApi api() {
        return instance().api();
    }

    public <T> T bean(Class<T> type) {
        return instance().bean(type);
    }

    public int port() {
        return instance().port();
    }

    public Receiver receiver() {
        instance();
        return receiver;
    }

    public TestDatabase database() {
        return db.database();
    }

    public DataSource dataSource() {
        return db.dataSource();
    }

    public JdbcClient jdbc() {
        instance();
        return jdbc;
    }
}
