package dev.courier.notifier.delivery;

import dev.courier.notifier.security.BlockedAddressException;
import dev.courier.notifier.security.GuardedDnsResolver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.httpcomponents.hc5.PoolingHttpClientConnectionManagerMetricsBinder;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends deliveries with Apache HttpClient 5: no redirects followed, no retries but on stale connections (the schedule
 * retries; see {@link StaleConnectionRetry}), the
 * SSRF guard resolving every host, and a hard deadline per request that covers connecting, waiting and reading, so a
 * receiver that answers byte by byte cannot hold a request past its endpoint's timeout.
 */
public final class DeliveryClient implements AutoCloseable {

    /** Most of a response body read, enough for the acknowledgement matchers and the excerpt. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** The first buffer for a body of unknown length (chunked): a typical acknowledgement fits. */
    private static final int UNKNOWN_LENGTH_BUFFER = 256;

    private final PoolingHttpClientConnectionManager connections;
    private final CloseableHttpClient http;
    private final ScheduledExecutorService deadlines;

    public DeliveryClient(GuardedDnsResolver resolver, Duration connectTimeout, int maxConnections) {
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setTimeToLive(Timeout.ofMinutes(5))
                        // A receiver may close an idle keep-alive connection at any time; a request sent on
                        // it would fail without reaching anyone. Check connections idle for a second first.
                        .setValidateAfterInactivity(Timeout.ofSeconds(1))
                        .build())
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .setRetryStrategy(new StaleConnectionRetry())
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("Courier-Notifier/1")
                .evictExpiredConnections()
                .evictIdleConnections(Timeout.ofSeconds(30))
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("notifier-deadlines").daemon().factory());
    }

    /**
     * The connection pool's metrics, {@code httpcomponents.httpclient.pool.*{httpclient="webhooks"}}: connections
     * available, leased, pending (waiting for a connection), and the pool's limits.
     */
    public void bindMetrics(MeterRegistry registry) {
        new PoolingHttpClientConnectionManagerMetricsBinder(connections, "webhooks").bindTo(registry);
    }

    /** Sends {@code request} and never throws: every failure comes back as a result with an error. */
    public DeliveryResult send(DeliveryRequest request) {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        HttpPost post = new HttpPost(request.url());
        request.headers().forEach(post::setHeader);
        post.setEntity(new StringEntity(request.body(), ContentType.APPLICATION_JSON));
        post.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(request.timeout()))
                .setConnectionRequestTimeout(Timeout.of(request.timeout()))
                .build());
        AtomicBoolean deadlinePassed = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(
                () -> {
                    deadlinePassed.set(true);
                    post.cancel();
                },
                request.timeout().toMillis(),
                TimeUnit.MILLISECONDS);
        try (ClassicHttpResponse response = http.executeOpen(null, post, null)) {
            String body = readLimited(response.getEntity());
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            int status = response.getCode();
            String note = status >= 300 && status < 400
                    ? "redirect to " + header(response, "Location").orElse("(no Location)") + " not followed"
                    : null;
            return new DeliveryResult(
                    started,
                    took,
                    status,
                    body,
                    header(response, "Retry-After").flatMap(DeliveryClient::retryAfter),
                    note);
        } catch (Exception e) {
            Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
            return DeliveryResult.failed(started, took, describe(e, deadlinePassed.get(), request.timeout()));
        } finally {
            deadline.cancel(false);
        }
    }

    private static String readLimited(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        try (InputStream in = entity.getContent()) {
            return readLimited(in, entity.getContentLength(), MAX_BODY_BYTES);
        }
    }

    /**
     * The first {@code limit} bytes of {@code in} as UTF-8, read into a buffer sized by {@code lengthHint} (the
     * declared length, negative when unknown) and grown as bytes come: most acknowledgements are a few bytes, and
     * {@code readNBytes(limit)} allocated 16 KB for each of them (a seventh of all the notifier allocated in the
     * latency benchmark).
     */
    static String readLimited(InputStream in, long lengthHint, int limit) throws IOException {
        // One byte beyond the declared length, so that its end is seen without growing; a length beyond the limit
        // (any up to Long.MAX_VALUE) takes the limit.
        int size = lengthHint < 0
                ? Math.min(UNKNOWN_LENGTH_BUFFER, limit)
                : lengthHint < limit ? (int) lengthHint + 1 : limit;
        byte[] buffer = new byte[Math.max(size, 1)];
        int filled = 0;
        while (filled < limit) {
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, limit));
            }
            int read = in.read(buffer, filled, buffer.length - filled);
            if (read < 0) {
                break;
            }
            filled += read;
        }
        return new String(buffer, 0, filled, StandardCharsets.UTF_8);
    }

    private static Optional<String> header(ClassicHttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? Optional.empty() : Optional.of(header.getValue());
    }

    /** {@code Retry-After} as seconds or an HTTP date; anything else is ignored. */
    static Optional<Duration> retryAfter(String value) {
        String trimmed = value.trim();
        if (trimmed.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
        }
        try {
            Duration until = Duration.between(
                    Instant.now(),
                    ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME)
                            .toInstant());
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String describe(Exception e, boolean deadlinePassed, Duration timeout) {
        if (deadlinePassed) {
            return "timed out after " + timeout.toMillis() + " ms (endpoint timeout)";
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BlockedAddressException) {
                return cause.getMessage();
            }
            if (cause instanceof SocketTimeoutException) {
                return "timed out: " + cause.getMessage();
            }
            if (cause instanceof ConnectException) {
                return "connection failed: " + cause.getMessage();
            }
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        http.close();
    }
}
