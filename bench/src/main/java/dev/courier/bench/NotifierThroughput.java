package dev.courier.bench;

import static dev.courier.bench.NotificationRows.BODY;
import static dev.courier.bench.NotificationRows.attempts;
import static dev.courier.bench.NotificationRows.fillDue;
import static dev.courier.bench.NotificationRows.vacuum;

import dev.courier.localservices.database.TestDatabase;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/** The throughput scenario: the raw HTTP limit, and drains of notifications due at once. */
final class NotifierThroughput {

    private NotifierThroughput() {}

    static String row(String cell, double perSecond, double raw) {
        return String.format("| %s | %,.0f | %.0f%% |%n", cell, perSecond, 100 * perSecond / raw);
    }

    /** The same client library and body as the notifier, posting as fast as 64 threads can, with no database. */
    static double rawLimit(BenchReceiver receiver, Duration cell) throws Exception {
        return rawLimit(receiver, cell, new DrainCpu());
    }

    /** The raw limit, its machine CPU noted in {@code cpu}. */
    static double rawLimit(BenchReceiver receiver, Duration cell, DrainCpu cpu) throws Exception {
        try (CloseableHttpClient client = HttpClients.custom()
                        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                                .setMaxConnTotal(256)
                                .setMaxConnPerRoute(256)
                                .build())
                        .build();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicLong sent = new AtomicLong();
            DrainCpu.Start cpuStart = cpu.start(null);
            long end = System.nanoTime() + cell.toNanos();
            long start = System.nanoTime();
            for (int t = 0; t < 64; t++) {
                threads.execute(() -> {
                    while (System.nanoTime() < end) {
                        HttpPost post = new HttpPost(receiver.url("/raw"));
                        post.setHeader("webhook-id", UUID.randomUUID().toString());
                        post.setEntity(new StringEntity(BODY, ContentType.APPLICATION_JSON));
                        try {
                            client.execute(post, response -> {
                                EntityUtils.consume(response.getEntity());
                                return response.getCode();
                            });
                            sent.incrementAndGet();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            }
            threads.shutdown();
            threads.awaitTermination(cell.toSeconds() + 30, TimeUnit.SECONDS);
            cpu.end(null, cpuStart, sent.get());
            return sent.get() / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Inserts {@code count} notifications due now in one transaction and times until all are delivered. */
    static double drain(TestDatabase db, BenchReceiver receiver, List<UUID> endpoints, int count) throws Exception {
        return drain(db, receiver, endpoints, count, null, new DrainCpu());
    }

    /** A drain whose CPU, of {@code notifier} and of the machine, {@code cpu} notes (from the insert's commit on). */
    static double drain(
            TestDatabase db, BenchReceiver receiver, List<UUID> endpoints, int count, Process notifier, DrainCpu cpu)
            throws Exception {
        vacuum(db);
        long before = receiver.received();
        fillDue(db, endpoints, count);
        DrainCpu.Start cpuStart = cpu.start(notifier);
        long start = System.nanoTime();
        Waits.awaitTrue(Duration.ofMinutes(10), () -> receiver.received() - before >= count, "drain of " + count);
        double perSecond = count / ((System.nanoTime() - start) / 1e9);
        cpu.end(notifier, cpuStart, count);
        System.err.printf(
                "drain to %d endpoint(s): %.0f deliveries/s; attempts so far: %s%n",
                endpoints.size(), perSecond, attempts(db));
        return perSecond;
    }
}
