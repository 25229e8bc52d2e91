package dev.courier.security;

import java.util.Optional;

/**
 * Tokens a service issues to its tenants (the notifier's applications), each valid for that tenant's paths only. A
 * service that has tenants declares one as a bean and names the paths in {@link BearerTokenSecurity.Settings#tenantPaths}.
 */
@FunctionalInterface
public interface TenantTokens {

    /**
     * The tenant a presented token belongs to, when it is a tenant token that is valid now (issued, not revoked, not
     * expired). Must not throw for a token of any shape: a token that is no tenant token is empty.
     */
    Optional<String> tenantOf(String token);
}
