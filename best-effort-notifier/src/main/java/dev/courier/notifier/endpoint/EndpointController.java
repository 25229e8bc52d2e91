package dev.courier.notifier.endpoint;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.application.ApplicationStore;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Register, read, change and rotate the secrets of receivers: {@code /api/endpoints} for every endpoint (operator
 * token), {@code /api/applications/{application}/endpoints} for those of one application (its own token suffices).
 * Under an application, an endpoint of another application is not found.
 */
@RestController
class EndpointController {

    static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
    static final Duration MAX_OVERLAP = Duration.ofDays(30);
    private static final String ALL = "/api/endpoints";
    private static final String OWNED = "/api/applications/{application}/endpoints";

    private final EndpointStore store;
    private final EndpointValidator validator;
    private final ApplicationStore applications;

    EndpointController(EndpointStore store, EndpointValidator validator, ApplicationStore applications) {
        this.store = store;
        this.validator = validator;
        this.applications = applications;
    }

    @PostMapping(
            path = {ALL, OWNED},
            consumes = "application/json",
            produces = "application/json")
    ResponseEntity<EndpointView> create(
            @PathVariable(required = false) String application, @RequestBody EndpointRequest request) {
        if (application != null) {
            applications.existing(application);
        }
        EndpointSettings settings = validator.forCreate(request);
        String secret = request.secret() != null
                ? request.secret()
                : WebhookSigner.newSecret(
                        request.signatureScheme() == null
                                ? WebhookSigner.Scheme.V1
                                : WebhookSigner.Scheme.parse(request.signatureScheme()));
        Endpoint endpoint = store.create(application, settings, secret);
        return ResponseEntity.created(
                        URI.create((application == null ? ALL : "/api/applications/" + application + "/endpoints") + "/"
                                + endpoint.id()))
                .body(EndpointView.of(endpoint, shown(secret), publicKeys(endpoint.id())));
    }

    @GetMapping(
            path = {ALL, OWNED},
            produces = "application/json")
    List<EndpointView> list(
            @PathVariable(required = false) String application, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit: must be 1 to 1000");
        }
        if (application != null) {
            applications.existing(application);
        }
        return (application == null ? store.list(limit) : store.list(application, limit))
                .stream().map(e -> EndpointView.of(e, null)).toList();
    }

    @GetMapping(
            path = {ALL + "/{id}", OWNED + "/{id}"},
            produces = "application/json")
    EndpointView get(@PathVariable(required = false) String application, @PathVariable UUID id) {
        return EndpointView.of(existing(application, id), null, publicKeys(id));
    }

    @PatchMapping(
            path = {ALL + "/{id}", OWNED + "/{id}"},
            consumes = "application/json",
            produces = "application/json")
    EndpointView update(
            @PathVariable(required = false) String application,
            @PathVariable UUID id,
            @RequestBody EndpointRequest request) {
        EndpointSettings settings = validator.forUpdate(request, existing(application, id));
        return EndpointView.of(store.update(id, settings), null);
    }

    /**
     * Adds a signing secret; the previous ones keep signing for {@code overlapSeconds} (default 24 h), so receivers
     * can switch over without rejecting anything.
     */
    @PostMapping(
            path = {ALL + "/{id}/secrets", OWNED + "/{id}/secrets"},
            produces = "application/json")
    ResponseEntity<SecretRotation> rotate(
            @PathVariable(required = false) String application,
            @PathVariable UUID id,
            @RequestBody(required = false) RotationRequest request) {
        existing(application, id);
        Duration overlap = request == null || request.overlapSeconds() == null
                ? DEFAULT_OVERLAP
                : Duration.ofSeconds(request.overlapSeconds());
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw new InvalidInputException("overlapSeconds: must be 0 to " + MAX_OVERLAP.toSeconds());
        }
        WebhookSigner.Scheme scheme;
        try {
            scheme = request == null || request.scheme() == null
                    ? WebhookSigner.Scheme.of(
                            store.signingSecrets(id).stream().findFirst().orElse(null))
                    : WebhookSigner.Scheme.parse(request.scheme());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("scheme: " + e.getMessage());
        }
        String secret =
                request == null || request.secret() == null ? WebhookSigner.newSecret(scheme) : request.secret();
        try {
            WebhookSigner.requireValidSecret(secret);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("secret: " + e.getMessage());
        }
        store.rotate(id, secret, overlap);
        return ResponseEntity.status(201)
                .body(new SecretRotation(shown(secret), WebhookSigner.publicKeyOf(secret), overlap.toSeconds()));
    }

    /** A shared secret is shown in the answer that made it; a private key never is. */
    private static String shown(String secret) {
        return WebhookSigner.Scheme.of(secret) == WebhookSigner.Scheme.V1 ? secret : null;
    }

    /** The public keys of the endpoint's active v1a keys, newest first. */
    private List<String> publicKeys(UUID id) {
        return store.signingSecrets(id).stream()
                .map(WebhookSigner::publicKeyOf)
                .filter(key -> key != null)
                .toList();
    }

    /** The endpoint, when it exists and (under an application) belongs to it. */
    private Endpoint existing(String application, UUID id) {
        return store.find(id)
                .filter(endpoint -> application == null || application.equals(endpoint.applicationId()))
                .orElseThrow(() -> new NoSuchResourceException("no endpoint " + id));
    }

    /** @param scheme {@code v1} or {@code v1a}; default the scheme of the endpoint's newest secret */
    record RotationRequest(String secret, Long overlapSeconds, String scheme) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SecretRotation(String secret, String publicKey, long previousSecretsValidForSeconds) {}
}
