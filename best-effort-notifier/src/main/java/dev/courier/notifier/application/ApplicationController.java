package dev.courier.notifier.application;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.StorableText;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/applications}: the platform's backend (the operator token) creates applications, sets their fair
 * shares and issues their scoped tokens. A scoped token reaches none of these calls.
 */
@RestController
@RequestMapping(path = "/api/applications", produces = "application/json")
class ApplicationController {

    static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(366);

    private final ApplicationStore store;
    private final ApplicationTokens tokens;

    ApplicationController(ApplicationStore store, ApplicationTokens tokens) {
        this.store = store;
        this.tokens = tokens;
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<Application> create(@RequestBody ApplicationRequest request) {
        Application created = store.create(request.forCreate());
        return ResponseEntity.created(URI.create("/api/applications/" + created.id()))
                .body(created);
    }

    /** Applications in id order; {@code after} (the last id of the previous page) pages on. */
    @GetMapping
    List<Application> list(
            @RequestParam(required = false) String after, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit: must be 1 to 1000");
        }
        if (after != null && !ApplicationRequest.isId(after)) {
            throw new InvalidInputException("after: an application id (the last of the previous page)");
        }
        return store.list(after, limit);
    }

    @GetMapping("/{id}")
    Application get(@PathVariable String id) {
        return store.existing(id);
    }

    @PatchMapping(path = "/{id}", consumes = "application/json")
    Application update(@PathVariable String id, @RequestBody ApplicationRequest request) {
        return store.update(request.forUpdate(store.existing(id)));
    }

    record TokenRequest(String description, Long expiresInSeconds) {}

    /** Issues a token that reaches only this application's endpoints, messages and deliveries; shown once. */
    @PostMapping("/{id}/tokens")
    ResponseEntity<ApplicationTokens.IssuedToken> issue(
            @PathVariable String id, @RequestBody(required = false) TokenRequest request) {
        store.existing(id);
        String description = request == null ? null : request.description();
        if (description != null && (description.length() > 256 || !StorableText.isStorable(description))) {
            throw new InvalidInputException("description: at most 256 characters, without NUL or unpaired surrogates");
        }
        Long seconds = request == null ? null : request.expiresInSeconds();
        if (seconds != null && (seconds < 1 || seconds > MAX_TOKEN_LIFETIME.toSeconds())) {
            throw new InvalidInputException("expiresInSeconds: must be 1 to " + MAX_TOKEN_LIFETIME.toSeconds());
        }
        Instant expiresAt = seconds == null ? null : Instant.now().plusSeconds(seconds);
        return ResponseEntity.status(201).body(tokens.issue(id, description, expiresAt));
    }

    @GetMapping("/{id}/tokens")
    List<ApplicationTokens.TokenInfo> tokens(@PathVariable String id) {
        store.existing(id);
        return tokens.list(id);
    }

    @DeleteMapping("/{id}/tokens/{tokenId}")
    ResponseEntity<Void> revoke(@PathVariable String id, @PathVariable UUID tokenId) {
        store.existing(id);
        if (!tokens.revoke(id, tokenId) && tokens.list(id).stream().noneMatch(t -> t.id().equals(tokenId))) {
            throw new NoSuchResourceException("no token " + tokenId + " of application " + id);
        }
        return ResponseEntity.noContent().build();
    }
}
