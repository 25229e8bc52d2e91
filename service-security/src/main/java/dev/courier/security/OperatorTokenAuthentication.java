package dev.courier.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.Authentication;

/**
 * Accepts the operator token and, when the service has tenants, their tokens. The operator token is compared as a
 * SHA-256 digest on both sides, so the time it takes tells nothing about the token, not even its length; a tenant
 * token is looked up by the service ({@link TenantTokens}).
 */
final class OperatorTokenAuthentication implements AuthenticationManager {

    private final byte[] expected;
    private final TenantTokens tenants;

    OperatorTokenAuthentication(String token, TenantTokens tenants) {
        this.expected = token == null ? null : sha256(token);
        this.tenants = tenants;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        if (expected == null && tenants == null) {
            throw new DisabledException("no token is configured");
        }
        if (!(authentication instanceof PresentedToken presented)
                || !(presented.getCredentials() instanceof String token)) {
            throw new BadCredentialsException("A valid bearer token is required");
        }
        if (expected != null && MessageDigest.isEqual(sha256(token), expected)) {
            return PresentedToken.operator();
        }
        Optional<String> tenant = tenants == null ? Optional.empty() : tenants.tenantOf(token);
        return tenant.map(PresentedToken::tenant)
                .orElseThrow(() -> new BadCredentialsException("A valid bearer token is required"));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
