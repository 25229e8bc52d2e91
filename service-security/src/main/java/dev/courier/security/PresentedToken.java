package dev.courier.security;

import java.util.Collection;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;

/** A bearer token as presented, then as accepted; the token itself is erased once it has been checked. */
final class PresentedToken extends AbstractAuthenticationToken {

    static final String OPERATOR = "operator";

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
        return new PresentedToken(OPERATOR, null, AuthorityUtils.createAuthorityList("ROLE_OPERATOR"));
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
