package dev.courier.notifier.delivery;

import java.io.IOException;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * Sends a request once more, at once, when the receiver closed a kept-alive connection just as the request went out
 * ({@link NoHttpResponseException}: no byte of an answer came). Servers close idle connections whenever they like, so
 * this race is routine and says nothing about the receiver's health; counting it as a failed attempt would open
 * circuits of healthy endpoints under load. Webhook receivers de-duplicate by {@code webhook-id}, so a repeat is safe
 * even in the rare case that the request was processed. Nothing else is retried here: answers (429, 503 included)
 * and other failures go to the schedule.
 */
final class StaleConnectionRetry extends DefaultHttpRequestRetryStrategy {

    StaleConnectionRetry() {
        super(1, TimeValue.ZERO_MILLISECONDS);
    }

    @Override
    public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
        return exception instanceof NoHttpResponseException && execCount <= 1;
    }

    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
        return false;
    }
}
