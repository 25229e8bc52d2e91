package dev.courier.receiver;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The asymmetric scheme of Standard Webhooks, {@code v1a}: the sender signs {@code "<webhook-id>.<webhook-timestamp>.
 * <body>"} with an Ed25519 private key ({@code whsk_} and the base64 of its 32-byte seed), receivers verify with the
 * public key ({@code whpk_} and the base64 of its 32 bytes), which need not be kept secret. A signature is {@code
 * v1a,} followed by the base64 of the 64-byte Ed25519 signature.
 *
 * <p>Ed25519 is in the JDK from Java 15 on. The kit still runs on Java 11 (it names the algorithm by string only), but
 * there these keys are refused with an {@link IllegalStateException} saying so; the {@code v1} HMAC scheme works on
 * every version.
 */
public final class AsymmetricSignature {

    /** What every public key starts with. */
    public static final String PUBLIC_KEY_PREFIX = "whpk_";

    /** What every private key starts with. */
    public static final String PRIVATE_KEY_PREFIX = "whsk_";

    /** What every signature of this scheme starts with. */
    public static final String VERSION_1A = "v1a,";

    private static final String ALGORITHM = "Ed25519";
    /** The DER of an X.509 SubjectPublicKeyInfo for Ed25519, up to the 32 key bytes (RFC 8410). */
    private static final byte[] PUBLIC_DER = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    /** The DER of a PKCS #8 PrivateKeyInfo for Ed25519, up to the 32 seed bytes (RFC 8410). */
    private static final byte[] PRIVATE_DER = {
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
    };

    private AsymmetricSignature() {}

    /** A new key pair: {@code [whsk_..., whpk_...]}. */
    public static String[] newKeyPair() {
        return keyPair(null);
    }

    /** The public key ({@code whpk_...}) of a private key ({@code whsk_...}). */
    public static String publicKeyOf(String privateKey) {
        return keyPair(raw(privateKey, PRIVATE_KEY_PREFIX, "private key"))[1];
    }

    /**
     * The public key of a {@code whpk_} key.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static PublicKey publicKey(String key) {
        byte[] raw = raw(key, PUBLIC_KEY_PREFIX, "public key");
        try {
            return keyFactory().generatePublic(new X509EncodedKeySpec(concat(PUBLIC_DER, raw)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
    }

    /**
     * The private key of a {@code whsk_} key.
     *
     * @throws IllegalArgumentException saying what is wrong with it, never echoing it
     */
    public static PrivateKey privateKey(String key) {
        byte[] raw = raw(key, PRIVATE_KEY_PREFIX, "private key");
        try {
            return keyFactory().generatePrivate(new PKCS8EncodedKeySpec(concat(PRIVATE_DER, raw)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key");
        }
    }

    /** One signature, {@code v1a,<base64 Ed25519 signature>}, as the {@code webhook-signature} header lists them. */
    public static String sign(PrivateKey key, String id, String timestamp, byte[] body) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(signed(id, timestamp, body));
            return VERSION_1A + Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Whether {@code presented} (the base64 after {@code v1a,}) is {@code key}'s signature of the request. */
    public static boolean verify(PublicKey key, String id, String timestamp, byte[] body, String presented) {
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(presented);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (signature.length != 64) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(signed(id, timestamp, body));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] signed(String id, String timestamp, byte[] body) {
        return concat((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
    }

    /** A key pair from {@code seed}, or from fresh randomness when it is null: {@code [whsk_..., whpk_...]}. */
    private static String[] keyPair(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            // The generator draws the 32-byte seed from its random source: a given seed makes the same key pair.
            generator.initialize(
                    new NamedParameterSpec(ALGORITHM), seed == null ? new SecureRandom() : new FixedSeed(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] privateDer = pair.getPrivate().getEncoded();
            byte[] publicDer = pair.getPublic().getEncoded();
            Base64.Encoder base64 = Base64.getEncoder();
            return new String[] {
                PRIVATE_KEY_PREFIX
                        + base64.encodeToString(
                                Arrays.copyOfRange(privateDer, privateDer.length - 32, privateDer.length)),
                PUBLIC_KEY_PREFIX
                        + base64.encodeToString(Arrays.copyOfRange(publicDer, publicDer.length - 32, publicDer.length))
            };
        } catch (NoSuchAlgorithmException e) {
            throw unavailable(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 key generation failed", e);
        }
    }

    private static byte[] raw(String key, String prefix, String what) {
        if (key == null || !key.startsWith(prefix)) {
            throw new IllegalArgumentException("a " + what + " must start with " + prefix);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(key.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a " + what + " must be " + prefix + " followed by base64");
        }
        if (raw.length != 32) {
            throw new IllegalArgumentException("a " + what + " must hold 32 bytes, not " + raw.length);
        }
        return raw;
    }

    private static KeyFactory keyFactory() {
        try {
            return KeyFactory.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            throw unavailable(e);
        }
    }

    private static IllegalStateException unavailable(NoSuchAlgorithmException e) {
        return new IllegalStateException(
                "Ed25519 (v1a signatures) needs Java 15 or later; this runtime is "
                        + System.getProperty("java.version"),
                e);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    /** A random source that yields one given seed: the JDK's Ed25519 generator then makes that seed's key pair. */
    private static final class FixedSeed extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("the Ed25519 generator asked for " + bytes.length + " bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
