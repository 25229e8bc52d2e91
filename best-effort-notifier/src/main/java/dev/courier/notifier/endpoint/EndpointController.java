package dev.courier.notifier.endpoint;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.signing.WebhookSigner;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/endpoints}: register, read, change and rotate the secrets of receivers. */
@RestController
@RequestMapping(path = "/api/endpoints", produces = "application/json")
class EndpointController {

    static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
    static final Duration MAX_OVERLAP = Duration.ofDays(30);

    private final EndpointStore store;
    private final EndpointValidator validator;

    EndpointController(EndpointStore store, EndpointValidator validator) {
        this.store = store;
        this.validator = validator;
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<EndpointView> create(@RequestBody EndpointRequest request) {
        EndpointSettings settings = validator.forCreate(request);
        String secret = request.secret() == null ? WebhookSigner.newSecret() : request.secret();
        Endpoint endpoint = store.create(settings, secret);
        return ResponseEntity.created(URI.create("/api/endpoints/" + endpoint.id()))
                .body(EndpointView.of(endpoint, secret));
    }

    @GetMapping
    List<EndpointView> list(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit: must be 1 to 1000");
        }
        return store.list(limit).stream().map(e -> EndpointView.of(e, null)).toList();
    }

    @GetMapping("/{id}")
    EndpointView get(@PathVariable UUID id) {
        return EndpointView.of(existing(id), null);
    }

    @PatchMapping(path = "/{id}", consumes = "application/json")
    EndpointView update(@PathVariable UUID id, @RequestBody EndpointRequest request) {
        EndpointSettings settings = validator.forUpdate(request, existing(id));
        return EndpointView.of(store.update(id, settings), null);
    }

    /**
     * Adds a signing secret; the previous ones keep signing for {@code overlapSeconds} (default 24 h), so receivers
     * can switch over without rejecting anything.
     */
    @PostMapping("/{id}/secrets")
    ResponseEntity<SecretRotation> rotate(
            @PathVariable UUID id, @RequestBody(required = false) RotationRequest request) {
        existing(id);
        Duration overlap = request == null || request.overlapSeconds() == null
                ? DEFAULT_OVERLAP
                : Duration.ofSeconds(request.overlapSeconds());
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw new InvalidInputException("overlapSeconds: must be 0 to " + MAX_OVERLAP.toSeconds());
        }
        String secret = request == null || request.secret() == null ? WebhookSigner.newSecret() : request.secret();
        try {
            WebhookSigner.requireValidSecret(secret);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("secret: " + e.getMessage());
        }
        store.rotate(id, secret, overlap);
        return ResponseEntity.status(201).body(new SecretRotation(secret, overlap.toSeconds()));
    }

    private Endpoint existing(UUID id) {
        return store.find(id).orElseThrow(() -> new NoSuchResourceException("no endpoint " + id));
    }

    record RotationRequest(String secret, Long overlapSeconds) {}

    record SecretRotation(String secret, long previousSecretsValidForSeconds) {}
}
