package dev.courier.receiver;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature scheme, shared by the sender (Courier's notifier) and {@link WebhookVerifier}: a
 * secret is {@code whsec_} followed by the base64 of the key bytes, and a signature is {@code v1,} followed by the
 * base64 of the HMAC-SHA256 of {@code "<webhook-id>.<webhook-timestamp>.<body>"}. Depends on the JDK only.
 */
public final class WebhookSignature {

    /** What every secret starts with. */
    public static final String SECRET_PREFIX = "whsec_";

    /** What every signature of this scheme's version 1 starts with. */
    public static final String VERSION_1 = "v1,";

    private WebhookSignature() {}

    /**
     * The key bytes of a secret.
     *
     * @throws IllegalArgumentException saying what is wrong with the secret, never echoing it
     */
    public static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a secret must start with " + SECRET_PREFIX);
        }
        try {
            return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a secret must be " + SECRET_PREFIX + " followed by base64");
        }
    }

    /** The HMAC-SHA256 of {@code "<id>.<timestamp>.<body>"} under {@code key}; {@code timestamp} as sent. */
    public static byte[] hmac(byte[] key, String id, String timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** One signature, {@code v1,<base64 HMAC>}, as the {@code webhook-signature} header lists them. */
    public static String sign(byte[] key, String id, String timestamp, byte[] body) {
        return VERSION_1 + Base64.getEncoder().encodeToString(hmac(key, id, timestamp, body));
    }
}
