package dev.courier.notifier.delivery;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** One HTTP POST to a receiver: URL, headers (signature included), JSON body and the time it may take in all. */
public record DeliveryRequest(URI url, Map<String, String> headers, String body, Duration timeout) {}
