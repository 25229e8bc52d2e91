package dev.courier.relay.admin;

import dev.courier.relay.Relay;
import dev.courier.relay.RelayCircuits;
import dev.courier.relay.Release;
import dev.courier.relay.config.RelayStores;
import dev.courier.relay.health.BacklogMonitor;
import dev.courier.relay.lease.LeaseRow;
import dev.courier.relay.park.ParkedMessage;
import dev.courier.relay.polling.PollingRelay;
import dev.courier.relay.source.PartitionBacklog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operators' API, behind the admin bearer token ({@link HttpSecurityConfiguration}). */
@RestController
@RequestMapping("/admin")
class AdminController {

    private static final Set<String> STATUSES = Set.of("PARKED", "HELD", "REPLAYED", "SKIPPED");

    private final RelayStores stores;
    private final Relay relay;
    private final BacklogMonitor backlog;
    private final RelayCircuits circuits;

    AdminController(RelayStores stores, Relay relay, BacklogMonitor backlog, RelayCircuits circuits) {
        this.stores = stores;
        this.relay = relay;
        this.backlog = backlog;
        this.circuits = circuits;
    }

    @GetMapping("/parked")
    List<ParkedMessage> parked(
            @RequestParam(defaultValue = "PARKED") String status, @RequestParam(defaultValue = "100") int limit) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES + ", was '" + status + "'");
        }
        requireLimit(limit);
        return stores.parked().list(status, limit);
    }

    @GetMapping("/parked/{id}")
    ResponseEntity<ParkedMessage> parkedMessage(@PathVariable String id) {
        return ResponseEntity.of(stores.parked().find(messageId(id)));
    }

    /** Puts the message back into the outbox, ahead of the later messages of its key. */
    @PostMapping("/parked/{id}/replay")
    ResponseEntity<Map<String, String>> replay(@PathVariable String id) {
        return release(id, Release.REPLAY);
    }

    /** Gives up on the message; its key flows again. */
    @PostMapping("/parked/{id}/skip")
    ResponseEntity<Map<String, String>> skip(@PathVariable String id) {
        return release(id, Release.SKIP);
    }

    /**
     * Polling mode answers with the final status; cdc mode with {@code REPLAY_REQUESTED} or {@code SKIP_REQUESTED}, as
     * the leader carries the request out from its change stream.
     */
    private ResponseEntity<Map<String, String>> release(String id, Release release) {
        if (!relay.release(messageId(id), release)) {
            return ResponseEntity.notFound().build();
        }
        String status = relay.mode().equals("cdc") ? release.name() + "_REQUESTED" : release.resolvedStatus();
        return ResponseEntity.ok(Map.of("id", id, "status", status));
    }

    /** Published messages of one aggregate still within the retention period, newest first. */
    @GetMapping("/published")
    ResponseEntity<?> published(
            @RequestParam String aggregateType,
            @RequestParam String aggregateId,
            @RequestParam(defaultValue = "100") int limit) {
        requireLimit(limit);
        requireKeyPart("aggregateType", aggregateType);
        requireKeyPart("aggregateId", aggregateId);
        if (stores.published().isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(ProblemDetail.forStatusAndDetail(
                            HttpStatus.NOT_FOUND,
                            "Published messages are not kept: courier.relay.outbox.retention is 0"));
        }
        return ResponseEntity.ok(stores.published().get().find(aggregateType, aggregateId, limit));
    }

    @GetMapping("/backlog")
    Map<String, Object> backlog() {
        List<PartitionBacklog> partitions = stores.outbox().backlog();
        return Map.of(
                "rows", partitions.stream().mapToLong(PartitionBacklog::rows).sum(), "partitions", partitions);
    }

    @GetMapping("/leases")
    ResponseEntity<?> leases() {
        if (!(relay instanceof PollingRelay polling)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(ProblemDetail.forStatusAndDetail(
                            HttpStatus.NOT_FOUND,
                            "Partition leases exist in polling mode only; this relay runs " + relay.mode()));
        }
        List<LeaseRow> rows = stores.leases().all();
        return ResponseEntity.ok(Map.of(
                "member",
                relay.member(),
                "owned",
                polling.engine().owned(),
                "fetchFloors",
                polling.engine().fetchFloors(),
                "leases",
                rows));
    }

    /** Pauses publishing on every relay of this outbox (a cluster-wide switch, followed within a renew interval). */
    @PostMapping("/pause")
    Map<String, Object> pause() {
        stores.control().paused(true);
        relay.pause();
        return Map.of("paused", true);
    }

    @PostMapping("/resume")
    Map<String, Object> resume() {
        stores.control().paused(false);
        relay.resume();
        return Map.of("paused", false);
    }

    @GetMapping("/status")
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("member", relay.member());
        status.put("mode", relay.mode());
        status.put("paused", relay.paused());
        status.putAll(relay.details());
        status.put("parked", backlog.parkedCount());
        status.put(
                "circuits",
                Map.of(
                        "kafka", circuits.kafka().getState().name(),
                        "database", circuits.database().getState().name()));
        return status;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    private static void requireLimit(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
        }
    }

    /** What the outbox's columns can hold (255 characters, no NUL); anything else cannot match a row. */
    private static void requireKeyPart(String name, String value) {
        if (value.length() > 255 || value.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException(name + " must have at most 255 characters and no NUL");
        }
    }

    private static String messageId(String id) {
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            // The caller's text is not echoed: it may be anything, of any length.
            throw new IllegalArgumentException("not a message id (a UUID)");
        }
    }
}
