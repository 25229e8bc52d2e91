package dev.courier.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The browser pages a service serves from its jar (consoles, portals). Their files are open: they hold no data, which
 * the page's script reads from the API with a token. Every answer of the service carries a strict {@code
 * Content-Security-Policy} (scripts, styles and requests only to the service itself, no inline script, nothing from
 * elsewhere), and none may be shown in a frame except the {@linkplain #embeddablePaths embeddable} pages, and those
 * only in pages of the {@linkplain #frameOrigins allowed origins}.
 *
 * @param paths path patterns of the pages' files, served without a token
 * @param embeddablePaths those of {@code paths} that the allowed origins may show in a frame
 * @param frameOrigins origins ({@code https://shop.example}, {@code https://*.example.com:8443}, {@code http://localhost:*}) that may frame the
 *     embeddable pages; none means they may not be framed either
 */
public record WebPages(List<String> paths, List<String> embeddablePaths, List<String> frameOrigins) {

    /** A service without pages. */
    public static final WebPages NONE = new WebPages(List.of(), List.of(), List.of());

    /** A scheme, a host (its first label may be {@code *}) and a port (or {@code *}): what a CSP source may be, with nothing else. */
    private static final Pattern ORIGIN = Pattern.compile(
            "https?://(\\*\\.)?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::(?:[0-9]{1,5}|\\*))?");

    private static final String POLICY =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self';"
                    + " frame-ancestors ";

    public WebPages {
        paths = List.copyOf(paths);
        embeddablePaths = List.copyOf(embeddablePaths);
        frameOrigins = List.copyOf(frameOrigins);
        for (String origin : frameOrigins) {
            if (origin == null || !ORIGIN.matcher(origin).matches()) {
                throw new IllegalArgumentException("not an origin (scheme://host[:port], nothing else): " + origin);
            }
        }
    }

    /** Pages at {@code paths}, none of them embeddable. */
    public static WebPages at(String... paths) {
        return new WebPages(List.of(paths), List.of(), List.of());
    }

    /** These pages, of which {@code embeddable} may be framed by {@code origins}. */
    public WebPages framedBy(List<String> origins, String... embeddable) {
        return new WebPages(paths, List.of(embeddable), origins);
    }

    /** The policy of an answer: framed by nobody, or (an embeddable page) by the service itself and the origins. */
    String policy(boolean embeddable) {
        if (!embeddable || frameOrigins.isEmpty()) {
            return POLICY + "'none'";
        }
        return POLICY + "'self' " + String.join(" ", frameOrigins);
    }

    /** Writes the policy, and {@code X-Frame-Options: DENY} where no frame is allowed (for browsers without CSP). */
    HeaderWriter headers() {
        List<RequestMatcher> embeddable = embeddablePaths.stream()
                .map(path -> (RequestMatcher)
                        PathPatternRequestMatcher.withDefaults().matcher(path))
                .toList();
        return (HttpServletRequest request, HttpServletResponse response) -> {
            boolean framed = !frameOrigins.isEmpty() && embeddable.stream().anyMatch(m -> m.matches(request));
            response.setHeader("Content-Security-Policy", policy(framed));
            if (!framed) {
                response.setHeader("X-Frame-Options", "DENY");
            }
        };
    }
}
