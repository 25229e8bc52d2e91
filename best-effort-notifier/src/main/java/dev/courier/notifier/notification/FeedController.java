package dev.courier.notifier.notification;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.NoSuchResourceException;
import dev.courier.notifier.endpoint.EndpointStore;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The pull API for receivers reconciling what they missed: {@code GET /api/endpoints/{id}/events?after=<cursor>}
 * lists the endpoint's notifications in acceptance order with their current status; {@code next} is the cursor of
 * the following page (the same cursor again when there is nothing new yet).
 */
@RestController
class FeedController {

    private final NotificationStore notifications;
    private final EndpointStore endpoints;
    private final FeedSettings settings;

    FeedController(NotificationStore notifications, EndpointStore endpoints, FeedSettings settings) {
        this.notifications = notifications;
        this.endpoints = endpoints;
        this.settings = settings;
    }

    record FeedPage(List<NotificationView> events, long next, boolean more) {}

    @GetMapping(path = "/api/endpoints/{id}/events", produces = "application/json")
    FeedPage events(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new InvalidInputException("limit: must be 1 to 1000");
        }
        if (after < 0) {
            throw new InvalidInputException("after: must not be negative");
        }
        endpoints.find(id).orElseThrow(() -> new NoSuchResourceException("no endpoint " + id));
        List<Notification> page = notifications.feed(id, after, limit + 1, settings.settle());
        boolean more = page.size() > limit;
        List<Notification> shown = more ? page.subList(0, limit) : page;
        long next = shown.isEmpty() ? after : shown.getLast().feedSeq();
        return new FeedPage(
                shown.stream().map(n -> NotificationView.of(n, null)).toList(), next, more);
    }
}
