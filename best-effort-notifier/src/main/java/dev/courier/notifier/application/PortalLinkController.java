package dev.courier.notifier.application;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NotifierProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code POST /api/applications/{id}/portal-links}: the platform's backend (operator token) asks for a link that opens
 * the tenant portal for one application, to hand to that merchant (or to put in an iframe of its own site).
 *
 * <p>The link carries a fresh application token in its fragment ({@code /portal/#application=...&token=...}): a
 * fragment is never sent to a server, so the token reaches neither access logs nor {@code Referer} headers; the page
 * moves it into the tab's session storage and removes it from the address bar. The token is short-lived (the link's
 * lifetime, at most a day), reaches only that application's endpoints, messages, deliveries and recoveries, and is
 * listed and revocable like any application token. It is a random 256-bit value whose SHA-256 digest the notifier
 * keeps, rather than a self-contained signed token, so that revoking it takes effect at once.
 */
@RestController
class PortalLinkController {

    static final String DESCRIPTION = "portal link";

    private final ApplicationStore applications;
    private final ApplicationTokens tokens;
    private final NotifierProperties.Portal portal;

    PortalLinkController(ApplicationStore applications, ApplicationTokens tokens, NotifierProperties properties) {
        this.applications = applications;
        this.tokens = tokens;
        this.portal = properties.portal();
    }

    record LinkRequest(Long expiresInSeconds) {}

    record PortalLink(String url, String token, UUID tokenId, Instant expiresAt) {}

    @PostMapping(path = "/api/applications/{id}/portal-links", produces = "application/json")
    ResponseEntity<PortalLink> create(
            @PathVariable String id, @RequestBody(required = false) LinkRequest request, HttpServletRequest http) {
        applications.existing(id);
        Duration lifetime = portal.linkLifetime();
        if (request != null && request.expiresInSeconds() != null) {
            long seconds = request.expiresInSeconds();
            if (seconds < 1 || seconds > NotifierProperties.Portal.MAX_LINK_LIFETIME.toSeconds()) {
                throw new InvalidInputException(
                        "expiresInSeconds: must be 1 to " + NotifierProperties.Portal.MAX_LINK_LIFETIME.toSeconds());
            }
            lifetime = Duration.ofSeconds(seconds);
        }
        ApplicationTokens.IssuedToken issued =
                tokens.issue(id, DESCRIPTION, Instant.now().plus(lifetime));
        // Application ids and tokens are URL-safe (letters, digits, '.', '_', '-'): nothing to encode.
        String url = base(http) + "/portal/#application=" + id + "&token=" + issued.token();
        return ResponseEntity.status(201)
                .body(new PortalLink(
                        url, issued.token(), issued.info().id(), issued.info().expiresAt()));
    }

    private String base(HttpServletRequest http) {
        URI configured = portal.publicUrl();
        String base = configured != null
                ? configured.toString()
                : ServletUriComponentsBuilder.fromContextPath(http).toUriString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
