package dev.courier.notifier.delivery;

import java.io.IOException;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * Sends a request again, at once, when the receiver closed a kept-alive connection just as the request went out
 * ({@link NoHttpResponseException}: no byte of an answer came), up to {@link #RETRIES} times. Servers close idle
 * connections whenever they like, so this race is routine and says nothing about the receiver's health; counting it
 * as a failed attempt would open circuits of healthy endpoints under load. A server that trims its idle connections
 * closes many at once (the JDK's HttpServer keeps at most 200), so the next pooled connection may be stale too: each
 * retry discards the connection that failed. Webhook receivers de-duplicate by {@code webhook-id}, so a repeat is
 * safe even in the rare case that the request was processed. Nothing else is retried here: answers (429, 503
 * included) and other failures go to the schedule.
 */
final class StaleConnectionRetry extends DefaultHttpRequestRetryStrategy {

    static final int RETRIES = 3;

    StaleConnectionRetry() {
        super(RETRIES, TimeValue.ZERO_MILLISECONDS);
    }

    @Override
    public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
        return exception instanceof NoHttpResponseException && execCount <= RETRIES;
    }

    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
        return false;
    }
}
