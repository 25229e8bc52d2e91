package dev.courier.notifier.signing;

import dev.courier.receiver.AsymmetricSignature;
import dev.courier.receiver.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Signatures per the Standard Webhooks specification, one per active secret, space-separated, so that a receiver still
 * holding the previous secret during a rotation can verify: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}
 * for a {@code whsec_} secret (shared with the receiver), {@code v1a,<base64 Ed25519 signature>} for a {@code whsk_}
 * private key (the receiver holds its {@code whpk_} public key). The schemes themselves are receiver-kit's {@link
 * WebhookSignature} and {@link AsymmetricSignature}, the same code that verifies; this class adds the sender's policy
 * (key length, random secrets).
 */
public final class WebhookSigner {

    public static final String SECRET_PREFIX = WebhookSignature.SECRET_PREFIX;
    public static final int MIN_KEY_BYTES = 24;
    public static final int MAX_KEY_BYTES = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {}

    /** The two signature schemes of Standard Webhooks. */
    public enum Scheme {
        /** HMAC-SHA256 with a secret shared with the receiver ({@code whsec_}). */
        V1,
        /** Ed25519 with a private key the notifier keeps ({@code whsk_}); the receiver holds the public key. */
        V1A;

        /** @throws IllegalArgumentException naming the accepted values */
        public static Scheme parse(String text) {
            if ("v1".equals(text)) {
                return V1;
            }
            if ("v1a".equals(text)) {
                return V1A;
            }
            throw new IllegalArgumentException("v1 (HMAC, a shared secret) or v1a (Ed25519, a public key)");
        }

        /** The scheme a secret signs with. */
        public static Scheme of(String secret) {
            return secret != null && secret.startsWith(AsymmetricSignature.PRIVATE_KEY_PREFIX) ? V1A : V1;
        }
    }

    /** A new random secret of 32 key bytes. */
    public static String newSecret() {
        return newSecret(Scheme.V1);
    }

    /** A new random secret of the scheme: 32 HMAC key bytes, or an Ed25519 private key. */
    public static String newSecret(Scheme scheme) {
        if (scheme == Scheme.V1A) {
            return AsymmetricSignature.newKeyPair()[0];
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** What the receiver verifies with: the public key of a {@code whsk_} private key; null for a shared secret. */
    public static String publicKeyOf(String secret) {
        return Scheme.of(secret) == Scheme.V1A ? AsymmetricSignature.publicKeyOf(secret) : null;
    }

    /**
     * Checks a secret a user supplied.
     *
     * @throws IllegalArgumentException saying what is wrong, never echoing the secret
     */
    public static void requireValidSecret(String secret) {
        if (Scheme.of(secret) == Scheme.V1A) {
            AsymmetricSignature.privateKey(secret);
        } else {
            key(secret);
        }
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
            header.append(
                    Scheme.of(secret) == Scheme.V1A
                            ? AsymmetricSignature.sign(AsymmetricSignature.privateKey(secret), id, timestamp, content)
                            : WebhookSignature.sign(key(secret), id, timestamp, content));
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
