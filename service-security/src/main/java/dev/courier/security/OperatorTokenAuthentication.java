package dev.courier.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.Authentication;

/**
 * Accepts exactly one token. Both sides are hashed before the comparison, so the time it takes tells nothing about
 * the token, not even its length.
 */
final class OperatorTokenAuthentication implements AuthenticationManager {

    private final byte[] expected;

    OperatorTokenAuthentication(String token) {
        this.expected = token == null ? null : sha256(token);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        if (expected == null) {
            throw new DisabledException("no token is configured");
        }
        if (!(authentication instanceof PresentedToken presented)
                || !(presented.getCredentials() instanceof String token)
                || !MessageDigest.isEqual(sha256(token), expected)) {
            throw new BadCredentialsException("A valid bearer token is required");
        }
        return PresentedToken.operator();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
