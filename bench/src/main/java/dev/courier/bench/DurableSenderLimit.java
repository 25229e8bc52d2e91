package dev.courier.bench;

import static dev.courier.bench.NotificationRows.fillDue;
import static dev.courier.bench.NotificationRows.vacuum;

import dev.courier.localservices.database.TestDatabase;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * The limit of any webhook sender that keeps its notifications in this schema: a hand-written loop doing the least a
 * durable sender must, on the notifier's own tables and the same rows the notifier drains. Each of {@value #WORKERS}
 * workers claims {@value #BATCH} due notifications of one endpoint (one {@code UPDATE ... FOR UPDATE SKIP LOCKED}
 * that moves their lease, so a crash loses none), posts them with HttpClient 5 from virtual threads, and records the
 * batch in one transaction (the attempts inserted, the notifications marked delivered). No fairness between endpoints,
 * no guards, no signing, no retries, no observation: what is left is the database's and HTTP's own cost. Commits wait
 * for the WAL flush, as the notifier's do.
 */
final class DurableSenderLimit {

    static final int WORKERS = 4;
    static final int BATCH = 64;

    private static final String CLAIM = "UPDATE notifier_notification n SET lease_owner = 'limit',"
            + " next_attempt_at = now() + interval '60 seconds' WHERE n.id IN (SELECT id FROM notifier_notification"
            + " WHERE endpoint_id = ? AND status = 'PENDING' AND round_attempts = 0 AND next_attempt_at <= now()"
            + " ORDER BY next_attempt_at LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED) RETURNING n.id, n.body";
    private static final String ATTEMPTS = "INSERT INTO notifier_attempt (notification_id, number, instance,"
            + " started_at, duration_ms, status_code, outcome) SELECT id, 1, 'limit', now(), 1, code, 'ACKNOWLEDGED'"
            + " FROM unnest(?::uuid[], ?::int4[]) AS v(id, code)";
    private static final String DELIVERED = "UPDATE notifier_notification n SET status = 'DELIVERED',"
            + " attempts = n.attempts + 1, round_attempts = n.round_attempts + 1, lease_owner = NULL,"
            + " last_status_code = 200, updated_at = now(), finished_at = now() WHERE n.id = ANY (?::uuid[])";

    private DurableSenderLimit() {}

    /**
     * Inserts {@code count} notifications due now for {@code endpoint} (one the notifier leaves alone: disabled) and
     * delivers them by hand; returns deliveries per second, from the insert's commit to the last record.
     */
    static double drain(TestDatabase db, BenchReceiver receiver, UUID endpoint, int count, DrainCpu cpu)
            throws Exception {
        vacuum(db);
        fillDue(db, List.of(endpoint), count);
        String url = receiver.url("/limit-" + endpoint);
        try (CloseableHttpClient client = HttpClients.custom()
                        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                                .setMaxConnTotal(WORKERS * BATCH)
                                .setMaxConnPerRoute(WORKERS * BATCH)
                                .build())
                        .build();
                ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
                ExecutorService workers = Executors.newFixedThreadPool(WORKERS)) {
            DrainCpu.Start cpuStart = cpu.start(null);
            long start = System.nanoTime();
            List<Future<Long>> delivered = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                delivered.add(workers.submit(() -> work(db, client, requests, url, endpoint)));
            }
            long total = 0;
            for (Future<Long> worker : delivered) {
                total += worker.get();
            }
            double perSecond = total / ((System.nanoTime() - start) / 1e9);
            cpu.end(null, cpuStart, total);
            if (total != count) {
                throw new IllegalStateException("the hand-written sender delivered " + total + " of " + count);
            }
            System.err.printf("hand-written durable sender, 1 endpoint: %.0f deliveries/s%n", perSecond);
            return perSecond;
        }
    }

    /** One worker: claims, posts and records batches until none is due; returns how many it delivered. */
    private static long work(
            TestDatabase db, CloseableHttpClient client, ExecutorService requests, String url, UUID endpoint)
            throws Exception {
        long delivered = 0;
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement claim = c.prepareStatement(CLAIM);
                PreparedStatement attempts = c.prepareStatement(ATTEMPTS);
                PreparedStatement done = c.prepareStatement(DELIVERED)) {
            claim.setObject(1, endpoint);
            while (true) {
                List<UUID> ids = new ArrayList<>(BATCH);
                List<Future<Integer>> codes = new ArrayList<>(BATCH);
                try (ResultSet rows = claim.executeQuery()) {
                    while (rows.next()) {
                        UUID id = rows.getObject(1, UUID.class);
                        String body = rows.getString(2);
                        ids.add(id);
                        codes.add(requests.submit(() -> post(client, url, id, body)));
                    }
                }
                if (ids.isEmpty()) {
                    return delivered;
                }
                Integer[] status = new Integer[ids.size()];
                for (int i = 0; i < status.length; i++) {
                    status[i] = codes.get(i).get();
                }
                c.setAutoCommit(false);
                Array idArray = c.createArrayOf("uuid", ids.toArray());
                attempts.setArray(1, idArray);
                attempts.setArray(2, c.createArrayOf("int4", status));
                attempts.executeUpdate();
                done.setArray(1, idArray);
                done.executeUpdate();
                c.commit();
                c.setAutoCommit(true);
                delivered += ids.size();
            }
        }
    }

    private static int post(CloseableHttpClient client, String url, UUID id, String body) throws Exception {
        HttpPost post = new HttpPost(url);
        post.setHeader("webhook-id", id.toString());
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        return client.execute(post, response -> {
            EntityUtils.consume(response.getEntity());
            return response.getCode();
        });
    }
}
