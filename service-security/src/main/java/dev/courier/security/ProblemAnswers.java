package dev.courier.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;

/**
 * The refusals as RFC 9457 problems. Their details are fixed texts: nothing from the request is echoed back, so a
 * refusal cannot be used to reflect content or learn about the token.
 */
final class ProblemAnswers {

    private final String challenge;
    private final String missingDetail;

    ProblemAnswers(BearerTokenSecurity.Settings settings) {
        this.challenge = "Bearer realm=\"" + settings.realm() + "\"";
        this.missingDetail = settings.token() == null
                ? "This API is disabled: set " + settings.tokenProperty()
                : "A valid bearer token is required";
    }

    void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        response.setHeader("WWW-Authenticate", challenge);
        write(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", missingDetail);
    }

    void denied(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        write(response, HttpServletResponse.SC_FORBIDDEN, "Forbidden", "The token does not allow this call");
    }

    static void rejected(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        write(
                response,
                HttpServletResponse.SC_BAD_REQUEST,
                "Bad Request",
                "The request path or headers are not in normalized form");
    }

    private static void write(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status);
        response.setCharacterEncoding("UTF-8");
        response.setContentType("application/problem+json");
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                        + detail + "\"}");
    }
}
