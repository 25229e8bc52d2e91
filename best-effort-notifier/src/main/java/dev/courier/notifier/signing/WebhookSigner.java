package dev.courier.notifier.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures per the Standard Webhooks specification: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, one per
 * active secret, space-separated, so that a receiver still holding the previous secret during a rotation can verify.
 * Secrets are {@code whsec_} followed by the base64 of the key bytes.
 */
public final class WebhookSigner {

    public static final String SECRET_PREFIX = "whsec_";
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
        byte[] content = (id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder();
        for (String secret : secrets) {
            if (!header.isEmpty()) {
                header.append(' ');
            }
            header.append("v1,").append(Base64.getEncoder().encodeToString(hmac(key(secret), content)));
        }
        return header.toString();
    }

    private static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a signing secret must start with " + SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a signing secret must be " + SECRET_PREFIX + " followed by base64");
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("a signing secret must hold " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
                    + " key bytes, this one holds " + key.length);
        }
        return key;
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
