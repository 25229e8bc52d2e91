package dev.courier.security;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * A bearer token as presented, then as accepted: the operator's, or a tenant's (its principal the tenant). The token
 * itself is erased once it has been checked.
 */
final class PresentedToken extends AbstractAuthenticationToken {

    static final String OPERATOR = "operator";
    static final String OPERATOR_ROLE = "OPERATOR";
    static final String TENANT_ROLE = "TENANT";

    private final String principal;
    private String token;

    private PresentedToken(String principal, String token, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.principal = principal;
        this.token = token;
        setAuthenticated(!authorities.isEmpty());
    }

    static PresentedToken unauthenticated(String token) {
        return new PresentedToken(null, token, List.of());
    }

    static PresentedToken operator() {
        return new PresentedToken(OPERATOR, null, AuthorityUtils.createAuthorityList("ROLE_" + OPERATOR_ROLE));
    }

    static PresentedToken tenant(String tenant) {
        return new PresentedToken(tenant, null, AuthorityUtils.createAuthorityList("ROLE_" + TENANT_ROLE));
    }

    /**
     * The decision on a tenant path: the operator may, a tenant only when the path's <code>{tenant}</code> is its
     * own (compared exactly, as the decoded path names it).
     */
    static AuthorizationResult operatorOrPathTenant(
            Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
        Authentication presented = authentication.get();
        if (!(presented instanceof PresentedToken token) || !token.isAuthenticated()) {
            return new AuthorizationDecision(false);
        }
        if (token.hasRole(OPERATOR_ROLE)) {
            return new AuthorizationDecision(true);
        }
        String tenant = context.getVariables().get(BearerTokenSecurity.TENANT_VARIABLE);
        return new AuthorizationDecision(
                token.hasRole(TENANT_ROLE) && tenant != null && tenant.equals(token.principal));
    }

    private boolean hasRole(String role) {
        return getAuthorities().stream().anyMatch(a -> ("ROLE_" + role).equals(a.getAuthority()));
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }

    @Override
    public void eraseCredentials() {
        super.eraseCredentials();
        token = null;
    }
}
