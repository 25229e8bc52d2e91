package dev.courier.relay.cdc;

import dev.courier.relay.db.DedicatedConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debezium's offsets in a table of the outbox database instead of a local file, so that any relay instance can take
 * over the stream. Debezium instantiates it by class name ({@code offset.storage}) and passes the {@code
 * offset.storage.courier.*} properties. Every write happens in one transaction, before Debezium confirms the position
 * to the replication slot; the relay commits offsets only after Kafka acknowledged the events.
 *
 * <p>debezium-storage-jdbc does the same for Debezium up to 3.5 but is not published for the Debezium version the
 * relay uses (3.6).
 */
public final class DatabaseOffsetStore extends MemoryOffsetBackingStore {

    static final String URL = "offset.storage.courier.url";
    static final String USER = "offset.storage.courier.user";
    static final String PASSWORD = "offset.storage.courier.password";
    static final String TABLE = "offset.storage.courier.table";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private String table;
    private DedicatedConnection session;

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        Map<String, Object> settings = config.originals();
        table = require(settings, TABLE);
        Object password = settings.get(PASSWORD);
        session = new DedicatedConnection(
                require(settings, URL),
                require(settings, USER),
                password == null ? null : password.toString(),
                "courier-relay-cdc-offsets");
    }

    @Override
    public synchronized void start() {
        super.start();
        try (PreparedStatement select =
                        session.get().prepareStatement("SELECT offset_key, offset_value FROM " + table);
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String value = rows.getString(2);
                data.put(bytes(rows.getString(1)), value == null ? null : bytes(value));
            }
        } catch (SQLException e) {
            session.close();
            throw new ConnectException("Could not read the CDC offsets from " + table + ": " + e.getMessage(), e);
        }
    }

    /** Runs on the store's executor after {@code set} updated {@link #data}: writes every offset in one transaction. */
    @Override
    protected synchronized void save() {
        try {
            Connection open = session.get();
            open.setAutoCommit(false);
            try (PreparedStatement upsert = open.prepareStatement("INSERT INTO " + table
                    + " (offset_key, offset_value) VALUES (?, ?) ON CONFLICT (offset_key) DO UPDATE"
                    + " SET offset_value = EXCLUDED.offset_value, updated_at = clock_timestamp()")) {
                for (Map.Entry<ByteBuffer, ByteBuffer> entry : data.entrySet()) {
                    upsert.setString(1, text(entry.getKey()));
                    upsert.setString(2, entry.getValue() == null ? null : text(entry.getValue()));
                    upsert.addBatch();
                }
                upsert.executeBatch();
                open.commit();
            } catch (SQLException e) {
                open.rollback();
                throw e;
            }
        } catch (SQLException e) {
            session.close();
            throw new ConnectException("Could not store the CDC offsets in " + table + ": " + e.getMessage(), e);
        }
    }

    /** The source partitions (Debezium's {@code {"server": ...}}) that {@code connectorName} stored offsets for. */
    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        Set<Map<String, Object>> partitions = new HashSet<>();
        for (ByteBuffer key : data.keySet()) {
            JsonNode parsed = JSON.readTree(text(key));
            if (parsed.isArray()
                    && parsed.size() == 2
                    && connectorName.equals(parsed.get(0).asString())) {
                partitions.add(JSON.convertValue(parsed.get(1), Map.class));
            }
        }
        return partitions;
    }

    @Override
    public synchronized void stop() {
        super.stop();
        session.close();
    }

    private static String require(Map<String, Object> settings, String name) {
        Object value = settings.get(name);
        if (value == null || value.toString().isBlank()) {
            throw new ConnectException(name + " is required by " + DatabaseOffsetStore.class.getSimpleName());
        }
        return value.toString();
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
