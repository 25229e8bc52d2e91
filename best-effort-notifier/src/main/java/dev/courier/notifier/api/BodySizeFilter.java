package dev.courier.notifier.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps request bodies of the API: a declared length past the cap answers 413 at once, a chunked body fails with
 * {@link RequestTooLargeException} when it passes the cap. Runs after Spring Security, so a caller without the token
 * is refused before any body is read.
 */
final class BodySizeFilter extends OncePerRequestFilter {

    private final long maxRequestBytes;

    BodySizeFilter(long maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxRequestBytes) {
            response.setStatus(413);
            response.setCharacterEncoding("UTF-8");
            response.setContentType("application/problem+json");
            response.getWriter()
                    .write("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,\"detail\":"
                            + "\"The request body exceeds " + maxRequestBytes
                            + " bytes (courier.notifier.max-body-size)\"}");
            return;
        }
        chain.doFilter(new BoundedRequest(request, maxRequestBytes), response);
    }
}
