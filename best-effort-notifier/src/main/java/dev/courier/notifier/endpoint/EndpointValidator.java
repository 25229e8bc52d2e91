package dev.courier.notifier.endpoint;

import dev.courier.notifier.InvalidInputException;
import dev.courier.notifier.StorableText;
import dev.courier.notifier.schedule.RetryProfile;
import dev.courier.notifier.security.AddressPolicy;
import dev.courier.notifier.signing.WebhookSigner;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Turns an {@link EndpointRequest} into complete settings, or refuses it listing every problem at once. */
public final class EndpointValidator {

    public static final String DEFAULT_PROFILE = "standard-webhooks";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_CONCURRENCY = 10;
    public static final int DEFAULT_RATE = 100;
    public static final int MAX_URL_LENGTH = 2048;

    private final Duration maxTimeout;
    private final AddressPolicy addresses;

    public EndpointValidator(Duration maxTimeout, AddressPolicy addresses) {
        this.maxTimeout = maxTimeout;
        this.addresses = addresses;
    }

    public EndpointSettings forCreate(EndpointRequest request) {
        List<String> errors = new ArrayList<>();
        if (request.url() == null) {
            errors.add("url: required");
        }
        EndpointSettings settings = merge(
                request,
                new EndpointSettings(
                        null,
                        null,
                        RetryProfile.parse(DEFAULT_PROFILE),
                        AckMatcher.ANY_2XX,
                        DEFAULT_TIMEOUT.compareTo(maxTimeout) > 0 ? maxTimeout : DEFAULT_TIMEOUT,
                        DEFAULT_CONCURRENCY,
                        DEFAULT_RATE,
                        Map.of(),
                        true,
                        Subscription.ALL,
                        Ordering.NONE,
                        Map.of()),
                errors);
        if (request.secret() != null) {
            try {
                WebhookSigner.requireValidSecret(request.secret());
            } catch (IllegalArgumentException e) {
                errors.add("secret: " + e.getMessage());
            }
        }
        if (request.signatureScheme() != null) {
            try {
                WebhookSigner.Scheme.parse(request.signatureScheme());
            } catch (IllegalArgumentException e) {
                errors.add("signatureScheme: " + e.getMessage());
            }
        }
        throwIfAny(errors);
        return settings;
    }

    public EndpointSettings forUpdate(EndpointRequest request, Endpoint current) {
        List<String> errors = new ArrayList<>();
        if (request.secret() != null) {
            errors.add("secret: rotate secrets with POST /api/endpoints/{id}/secrets");
        }
        if (request.signatureScheme() != null) {
            errors.add(
                    "signatureScheme: change it with a rotation, POST /api/endpoints/{id}/secrets {\"scheme\": ...}");
        }
        EndpointSettings settings = merge(request, current.settings(), errors);
        throwIfAny(errors);
        return settings;
    }

    private EndpointSettings merge(EndpointRequest request, EndpointSettings base, List<String> errors) {
        URI url = request.url() == null ? base.url() : url(request.url(), errors);
        String description = request.description() == null ? base.description() : request.description();
        if (description != null && (description.length() > 512 || !StorableText.isStorable(description))) {
            errors.add("description: at most 512 characters, without NUL or unpaired surrogates");
        }
        RetryProfile profile = base.retryProfile();
        AckMatcher presetMatcher = null;
        if (request.preset() != null) {
            try {
                DeliveryPolicy policy = Preset.parse(request.preset()).policy();
                profile = policy.retryProfile();
                presetMatcher = policy.ackMatcher();
            } catch (IllegalArgumentException e) {
                errors.add("preset: " + e.getMessage());
            }
        }
        if (request.retryProfile() != null) {
            try {
                profile = RetryProfile.parse(request.retryProfile());
            } catch (IllegalArgumentException e) {
                errors.add("retryProfile: " + e.getMessage());
            }
        }
        AckMatcher matcher = presetMatcher != null ? presetMatcher : base.ackMatcher();
        if (request.ackMatcher() != null) {
            try {
                matcher = AckMatcher.parse(request.ackMatcher());
            } catch (IllegalArgumentException e) {
                errors.add("ackMatcher: " + e.getMessage());
            }
        }
        Duration timeout = base.timeout();
        if (request.timeoutMs() != null) {
            timeout = Duration.ofMillis(request.timeoutMs());
            if (request.timeoutMs() < 100 || timeout.compareTo(maxTimeout) > 0) {
                errors.add("timeoutMs: must be 100 to " + maxTimeout.toMillis()
                        + " (courier.notifier.max-endpoint-timeout)");
            }
        }
        int concurrency = request.maxConcurrency() == null ? base.maxConcurrency() : request.maxConcurrency();
        if (concurrency < 1 || concurrency > 1000) {
            errors.add("maxConcurrency: must be 1 to 1000");
        }
        int rate = request.ratePerSecond() == null ? base.ratePerSecond() : request.ratePerSecond();
        if (rate < 1 || rate > 100_000) {
            errors.add("ratePerSecond: must be 1 to 100000");
        }
        Map<String, String> headers = request.headers() == null ? base.headers() : request.headers();
        UserHeaders.validate(headers, "headers", errors);
        boolean enabled = request.enabled() == null ? base.enabled() : request.enabled();
        Subscription.validate(request.eventTypes(), request.channels(), errors);
        Map<String, Preset> typePresets = base.presetsByEventType();
        if (request.presetsByEventType() != null) {
            typePresets = presetsByEventType(request.presetsByEventType(), errors);
        }
        Ordering ordering = base.ordering();
        if (request.ordering() != null) {
            try {
                ordering = Ordering.parse(request.ordering());
            } catch (IllegalArgumentException e) {
                errors.add("ordering: " + e.getMessage());
            }
        }
        Subscription subscription = errors.isEmpty()
                ? new Subscription(
                        request.eventTypes() == null
                                ? base.subscription().eventTypes()
                                : request.eventTypes().stream().distinct().toList(),
                        request.channels() == null
                                ? base.subscription().channels()
                                : request.channels().stream().distinct().toList())
                : Subscription.ALL;
        // Refused settings are never used: the headers are copied only when they are valid (no null names or values).
        return new EndpointSettings(
                url,
                description,
                profile,
                matcher,
                timeout,
                concurrency,
                rate,
                errors.isEmpty() ? Map.copyOf(headers) : Map.of(),
                enabled,
                subscription,
                ordering,
                errors.isEmpty() ? typePresets : Map.of());
    }

    /** Patterns to presets, every bad entry reported; at most 100. */
    private static Map<String, Preset> presetsByEventType(Map<String, String> requested, List<String> errors) {
        if (requested.size() > Subscription.MAX_EVENT_TYPES) {
            errors.add("presetsByEventType: at most " + Subscription.MAX_EVENT_TYPES + " patterns");
            return Map.of();
        }
        Map<String, Preset> presets = new TreeMap<>();
        requested.forEach((pattern, name) -> {
            if (!Subscription.isPattern(pattern)) {
                errors.add("presetsByEventType: each key an event type, a prefix wildcard like payment.* or *");
                return;
            }
            try {
                presets.put(pattern, Preset.parse(name));
            } catch (IllegalArgumentException e) {
                errors.add("presetsByEventType: the preset of " + pattern + " must be " + e.getMessage());
            }
        });
        return Map.copyOf(presets);
    }

    private URI url(String text, List<String> errors) {
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException | RuntimeException e) {
            errors.add("url: not a valid URL");
            return null;
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (text.length() > MAX_URL_LENGTH || !StorableText.isStorable(text)) {
            errors.add("url: at most " + MAX_URL_LENGTH + " characters");
        } else if (url.getPort() > 65_535) {
            errors.add("url: the port must be 1 to 65535");
        } else if (!scheme.equals("http") && !scheme.equals("https")) {
            errors.add("url: must be an absolute http or https URL");
        } else if (url.getHost() == null || url.getHost().isEmpty()) {
            errors.add("url: must name a host");
        } else if (url.getRawUserInfo() != null) {
            errors.add("url: must not carry credentials (send them as headers)");
        } else if (url.getRawFragment() != null) {
            errors.add("url: must not have a fragment");
        } else {
            literalAddressRefusal(url.getHost(), errors);
        }
        return url;
    }

    /** An IP literal is judged now; host names are judged at every delivery, after resolution. */
    private void literalAddressRefusal(String host, List<String> errors) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!bare.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            if (bare.equalsIgnoreCase("localhost")
                    || bare.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
                try {
                    for (InetAddress address : InetAddress.getAllByName(bare)) {
                        addresses.refusal(address).ifPresent(reason -> errors.add("url: " + reason));
                    }
                } catch (UnknownHostException e) {
                    errors.add("url: " + host + " does not resolve");
                }
            }
            return;
        }
        try {
            addresses.refusal(InetAddress.getByName(bare)).ifPresent(reason -> errors.add("url: " + reason));
        } catch (UnknownHostException e) {
            errors.add("url: " + host + " is not a valid address");
        }
    }

    private static void throwIfAny(List<String> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
    }
}
