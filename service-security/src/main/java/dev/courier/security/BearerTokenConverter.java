package dev.courier.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads {@code Authorization: Bearer <token>} (RFC 6750). No header means "no credentials" (the request goes on
 * unauthenticated and is refused where a token is needed); a header of another scheme, an empty token or several
 * {@code Authorization} headers are bad credentials.
 */
final class BearerTokenConverter implements AuthenticationConverter {

    private static final String SCHEME = "Bearer ";

    @Override
    public Authentication convert(HttpServletRequest request) {
        List<String> headers = Collections.list(request.getHeaders("Authorization"));
        if (headers.isEmpty()) {
            return null;
        }
        if (headers.size() > 1) {
            throw new BadCredentialsException("Only one Authorization header is accepted");
        }
        String header = headers.getFirst();
        if (header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new BadCredentialsException("The Authorization header must be 'Bearer <token>'");
        }
        return PresentedToken.unauthenticated(header.substring(SCHEME.length()).strip());
    }
}
