package dev.courier.receiver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Verifies a webhook from the Courier notifier (or any Standard Webhooks sender) before its body is trusted: the
 * signature, made with one of your endpoint's secrets, and the timestamp, within a tolerance of your clock so that a
 * captured request cannot be replayed later. Depends on the JDK only.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.of("whsec_...");
 * verifier.verify(request::getHeader, rawBody); // throws WebhookVerificationException when it must be refused
 * }</pre>
 *
 * During a secret rotation, pass both secrets: a request signed with either passes. Use the raw body bytes as
 * received: a body parsed and written again may differ and fail. Deduplicate by {@code webhook-id}: the same
 * notification may arrive more than once (at-least-once delivery).
 */
public final class WebhookVerifier {

    /** Default tolerance between the sender's timestamp and this machine's clock. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final List<byte[]> keys;
    private final List<PublicKey> publicKeys;
    private final Duration tolerance;
    private final Clock clock;

    private WebhookVerifier(List<byte[]> keys, List<PublicKey> publicKeys, Duration tolerance, Clock clock) {
        this.keys = keys;
        this.publicKeys = publicKeys;
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /**
     * A verifier accepting signatures made with any of {@code keys}: {@code whsec_<base64>} secrets ({@code v1}
     * HMAC signatures) and {@code whpk_<base64>} public keys ({@code v1a} Ed25519 signatures, Java 15 or later), in
     * any mix.
     *
     * @throws IllegalArgumentException when a key is of neither form
     */
    public static WebhookVerifier of(String... keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException("at least one secret is needed");
        }
        List<byte[]> secrets = new ArrayList<>();
        List<PublicKey> publicKeys = new ArrayList<>();
        for (String key : keys) {
            if (key != null && key.startsWith(AsymmetricSignature.PUBLIC_KEY_PREFIX)) {
                publicKeys.add(AsymmetricSignature.publicKey(key));
            } else if (key != null && key.startsWith(AsymmetricSignature.PRIVATE_KEY_PREFIX)) {
                throw new IllegalArgumentException(
                        "a whsk_ key is the sender's private key: verify with its whpk_ public key");
            } else {
                secrets.add(WebhookSignature.key(key));
            }
        }
        return new WebhookVerifier(List.copyOf(secrets), List.copyOf(publicKeys), DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /** The same verifier with another timestamp tolerance. */
    public WebhookVerifier withTolerance(Duration tolerance) {
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("the tolerance must not be negative");
        }
        return new WebhookVerifier(keys, publicKeys, tolerance, clock);
    }

    /** The same verifier reading time from {@code clock} (for tests). */
    public WebhookVerifier withClock(Clock clock) {
        return new WebhookVerifier(keys, publicKeys, tolerance, Objects.requireNonNull(clock));
    }

    /**
     * Checks a request.
     *
     * @param headers looks a header up by name ({@code webhook-id}, {@code webhook-timestamp},
     *     {@code webhook-signature}); null when absent
     * @param body the raw request body
     * @return the {@code webhook-id}, to de-duplicate by
     * @throws WebhookVerificationException when a header is missing, the timestamp is outside the tolerance, or no
     *     signature matches
     */
    public String verify(Function<String, String> headers, byte[] body) {
        String id = required(headers, "webhook-id");
        String timestamp = required(headers, "webhook-timestamp");
        String signatures = required(headers, "webhook-signature");
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException("webhook-timestamp is not a number of seconds");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - seconds) > tolerance.toSeconds()) {
            throw new WebhookVerificationException("webhook-timestamp is " + (now - seconds)
                    + " s from this clock, beyond the tolerance of " + tolerance.toSeconds() + " s");
        }
        String[] presented = signatures.trim().split(" +");
        for (byte[] key : keys) {
            byte[] expected = WebhookSignature.hmac(key, id, timestamp.trim(), body);
            for (String signature : presented) {
                if (signature.startsWith(WebhookSignature.VERSION_1)
                        && matches(expected, signature.substring(WebhookSignature.VERSION_1.length()))) {
                    return id;
                }
            }
        }
        for (PublicKey key : publicKeys) {
            for (String signature : presented) {
                if (signature.startsWith(AsymmetricSignature.VERSION_1A)
                        && AsymmetricSignature.verify(
                                key,
                                id,
                                timestamp.trim(),
                                body,
                                signature.substring(AsymmetricSignature.VERSION_1A.length()))) {
                    return id;
                }
            }
        }
        throw new WebhookVerificationException("no webhook-signature matches a known secret");
    }

    /** {@link #verify(Function, byte[])} for a body held as a string (UTF-8). */
    public String verify(Function<String, String> headers, String body) {
        return verify(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean matches(byte[] expected, String presented) {
        try {
            return MessageDigest.isEqual(expected, Base64.getDecoder().decode(presented));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String required(Function<String, String> headers, String name) {
        String value = headers.apply(name);
        if (value == null || value.isBlank()) {
            throw new WebhookVerificationException("the " + name + " header is missing");
        }
        return value;
    }
}
