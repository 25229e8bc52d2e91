package dev.courier.notifier.signing;

import dev.courier.receiver.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Signatures per the Standard Webhooks specification: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, one per
 * active secret, space-separated, so that a receiver still holding the previous secret during a rotation can verify.
 * Secrets are {@code whsec_} followed by the base64 of the key bytes. The scheme itself is receiver-kit's {@link
 * WebhookSignature}, the same code that verifies; this class adds the sender's policy (key length, random secrets).
 */
public final class WebhookSigner {

    public static final String SECRET_PREFIX = WebhookSignature.SECRET_PREFIX;
    public static final int MIN_KEY_BYTES = 24;
    public static final int MAX_KEY_BYTES = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {}

    /** A new random secret of 32 key bytes. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * Checks a secret a user supplied.
     *
     * @throws IllegalArgumentException saying what is wrong, never echoing the secret
     */
    public static void requireValidSecret(String secret) {
        key(secret);
    }

    /** The {@code webhook-signature} header value for a message signed with each of {@code secrets}. */
    public static String sign(String id, long timestampSeconds, String body, List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is needed to sign");
        }
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(timestampSeconds);
        StringBuilder header = new StringBuilder();
        for (String secret : secrets) {
            if (!header.isEmpty()) {
                header.append(' ');
            }
            header.append(WebhookSignature.sign(key(secret), id, timestamp, content));
        }
        return header.toString();
    }

    private static byte[] key(String secret) {
        byte[] key = WebhookSignature.key(secret);
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a signing secret must hold " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
                    + " key bytes, this one holds " + key.length);
        }
        return key;
    }
}
