package dev.courier.notifier.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /api/**} with a bearer token compared in constant time, and caps request bodies. Without a
 * configured token every call is refused: the API reads payment callbacks and can redeliver them.
 */
final class ApiTokenFilter extends OncePerRequestFilter {

    private final byte[] token;
    private final long maxRequestBytes;

    ApiTokenFilter(String token, long maxRequestBytes) {
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!authorized(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"courier-notifier\"");
            refuse(
                    response,
                    HttpServletResponse.SC_UNAUTHORIZED,
                    "Unauthorized",
                    token == null
                            ? "The API is disabled: set courier.notifier.api-token"
                            : "A valid bearer token is required");
            return;
        }
        if (request.getContentLengthLong() > maxRequestBytes) {
            refuse(
                    response,
                    413,
                    "Content Too Large",
                    "The request body exceeds " + maxRequestBytes + " bytes (courier.notifier.max-body-size)");
            return;
        }
        chain.doFilter(new BoundedRequest(request, maxRequestBytes), response);
    }

    private boolean authorized(String header) {
        if (token == null || header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(
                header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8), token);
    }

    static void refuse(HttpServletResponse response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setCharacterEncoding("UTF-8");
        response.setContentType("application/problem+json");
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                        + detail + "\"}");
    }
}
