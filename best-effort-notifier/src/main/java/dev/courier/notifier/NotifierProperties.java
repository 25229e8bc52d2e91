package dev.courier.notifier;

import dev.courier.security.BearerTokenSecurity;
import dev.courier.security.WebPages;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Settings of the notifier, prefix {@code courier.notifier}. Validated when bound: bad values fail the start-up, every
 * one of them reported at once against its property. The database is Spring Boot's {@code spring.datasource.*}, the Kafka client of the
 * intake Spring Boot's {@code spring.kafka.*}.
 *
 * @param apiToken bearer token of the REST API and the actuator (at least 16 printable characters); without it
 *     every call but the health probes is refused
 * @param instanceId this instance's name in lease columns and attempt rows; default host name and pid
 * @param pollInterval how often an idle instance looks for due notifications
 * @param batchSize most notifications claimed by one query
 * @param lease how long a claim is held; must exceed twice the longest endpoint timeout, so that a claim never runs
 *     out while its request is still in flight
 * @param maxInFlight most requests in flight at once on this instance
 * @param maxEndpointTimeout upper bound of an endpoint's {@code timeoutMs}
 * @param connectTimeout TCP connect timeout (the endpoint's timeout caps it)
 * @param maxBodySize largest accepted notification body
 * @param feedSettle the pull API only lists notifications accepted at least this long ago, so that a cursor never
 *     passes an intake transaction that commits late
 * @param ssrf the guard against requests to internal addresses
 * @param circuit the per-endpoint circuit breaker
 * @param kafka the Kafka intake; off unless rules are set
 * @param endpointFailingAfter failed attempts in a row after which an endpoint is reported failing (an
 *     {@code endpoint.failing} operator event)
 * @param autoDisableAfter an endpoint whose attempts have all failed for this long is disabled, with the reason on
 *     it (Standard Webhooks' recommendation); {@code 0} never disables
 * @param operatorEvents where operator events go besides logs and metrics
 * @param retryShare the share of {@code max-in-flight} that retries may take (0 to 1); first attempts of a round may
 *     take all, so fresh notifications never wait behind a storm of retries
 * @param portal the tenant portal's links and framing
 * @param tracing which deliveries are observed (spans, the delivery observations' timers)
 */
@ConfigurationProperties("courier.notifier")
public record NotifierProperties(
        String apiToken,
        String instanceId,
        @DefaultValue("200ms") Duration pollInterval,
        @DefaultValue("100") int batchSize,
        @DefaultValue("60s") Duration lease,
        @DefaultValue("256") int maxInFlight,
        @DefaultValue("30s") Duration maxEndpointTimeout,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("256KB") DataSize maxBodySize,
        @DefaultValue("2s") Duration feedSettle,
        @DefaultValue Ssrf ssrf,
        @DefaultValue Circuit circuit,
        @DefaultValue Kafka kafka,
        @DefaultValue("10") int endpointFailingAfter,
        @DefaultValue("5d") Duration autoDisableAfter,
        @DefaultValue OperatorEvents operatorEvents,
        @DefaultValue("0.5") double retryShare,
        @DefaultValue Portal portal,
        @DefaultValue Tracing tracing)
        implements Validator {

    public NotifierProperties {
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = defaultInstanceId();
        }
    }

    @Override
    public boolean supports(Class<?> type) {
        return NotifierProperties.class.isAssignableFrom(type);
    }

    /** Every bad value at once, each against its property (Spring Boot calls this once the record is bound). */
    @Override
    public void validate(Object target, Errors errors) {
        NotifierProperties settings = (NotifierProperties) target;
        try {
            BearerTokenSecurity.requireStrongToken("courier.notifier.api-token", settings.apiToken());
        } catch (IllegalArgumentException e) {
            // Not bound to the property, so that the failure report never prints the token.
            errors.reject("invalid", e.getMessage());
        }
        require(
                errors,
                settings.instanceId().length() <= 100,
                "instance-id",
                "courier.notifier.instance-id must have at most 100 characters");
        positive(errors, "poll-interval", settings.pollInterval());
        positive(errors, "max-endpoint-timeout", settings.maxEndpointTimeout());
        positive(errors, "connect-timeout", settings.connectTimeout());
        positive(errors, "feed-settle", settings.feedSettle());
        positive(errors, "lease", settings.lease());
        require(
                errors,
                settings.batchSize() >= 1 && settings.batchSize() <= 1000,
                "batch-size",
                "courier.notifier.batch-size must be 1 to 1000, was " + settings.batchSize());
        require(
                errors,
                settings.maxInFlight() >= 1,
                "max-in-flight",
                "courier.notifier.max-in-flight must be positive, was " + settings.maxInFlight());
        if (settings.lease() != null && settings.maxEndpointTimeout() != null) {
            require(
                    errors,
                    settings.lease().compareTo(settings.maxEndpointTimeout().multipliedBy(2)) >= 0,
                    "lease",
                    "courier.notifier.lease (" + settings.lease()
                            + ") must be at least twice courier.notifier.max-endpoint-timeout ("
                            + settings.maxEndpointTimeout() + ")");
        }
        DataSize body = settings.maxBodySize();
        require(
                errors,
                body != null && body.toBytes() >= 1 && body.toBytes() <= 16L * 1024 * 1024,
                "max-body-size",
                "courier.notifier.max-body-size must be 1B to 16MB, was " + body);
        settings.circuit().validate(errors);
        require(
                errors,
                settings.endpointFailingAfter() >= 1,
                "endpoint-failing-after",
                "courier.notifier.endpoint-failing-after must be positive, was " + settings.endpointFailingAfter());
        require(
                errors,
                settings.autoDisableAfter() != null
                        && !settings.autoDisableAfter().isNegative(),
                "auto-disable-after",
                "courier.notifier.auto-disable-after must be 0 (never) or positive, was "
                        + settings.autoDisableAfter());
        settings.operatorEvents().validate(errors);
        require(
                errors,
                settings.retryShare() > 0 && settings.retryShare() <= 1,
                "retry-share",
                "courier.notifier.retry-share must be above 0 and at most 1, was " + settings.retryShare());
        settings.portal().validate(errors);
        String idHeader = settings.kafka().idHeader();
        require(
                errors,
                idHeader != null && !idHeader.isBlank() && idHeader.length() <= 255,
                "kafka.id-header",
                "courier.notifier.kafka.id-header must be 1 to 255 characters, was '" + idHeader + "'");
        List<Rule> rules = settings.kafka().rules();
        for (int i = 0; i < rules.size(); i++) {
            rules.get(i).validate(errors, "kafka.rules[" + i + "]");
        }
    }

    private static void require(Errors errors, boolean valid, String field, String message) {
        if (!valid) {
            errors.rejectValue(field, "invalid", message);
        }
    }

    private static void positive(Errors errors, String field, Duration value) {
        require(
                errors,
                value != null && value.isPositive(),
                field,
                "courier.notifier." + field + " must be a positive duration, was " + value);
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "notifier";
        }
        String id = host + "-" + ProcessHandle.current().pid();
        return id.length() > 100 ? id.substring(0, 100) : id;
    }

    /**
     * @param enabled refuse receivers on internal addresses (on by default; turn off only on a closed test network)
     * @param allow CIDR ranges that are allowed even though internal, e.g. {@code 10.1.0.0/16} or
     *     {@code 127.0.0.1/32} for a receiver on the same host
     */
    public record Ssrf(
            @DefaultValue("true") boolean enabled,
            @DefaultValue List<String> allow) {}

    /**
     * Per-endpoint circuit breaker: while open, the endpoint's notifications wait without using attempts.
     *
     * @param failureRateThreshold percentage of failed attempts in the window that opens the circuit
     * @param slidingWindowSize attempts the failure rate is computed over
     * @param minimumCalls attempts needed before the failure rate counts
     * @param waitInOpen how long the circuit stays open before one trial attempt
     */
    public record Circuit(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindowSize,
            @DefaultValue("10") int minimumCalls,
            @DefaultValue("30s") Duration waitInOpen) {

        void validate(Errors errors) {
            require(
                    errors,
                    failureRateThreshold > 0 && failureRateThreshold <= 100,
                    "circuit.failure-rate-threshold",
                    "courier.notifier.circuit.failure-rate-threshold must be above 0 and at most 100, was "
                            + failureRateThreshold);
            require(
                    errors,
                    slidingWindowSize >= 1,
                    "circuit.sliding-window-size",
                    "courier.notifier.circuit.sliding-window-size must be positive, was " + slidingWindowSize);
            require(
                    errors,
                    minimumCalls >= 1,
                    "circuit.minimum-calls",
                    "courier.notifier.circuit.minimum-calls must be positive, was " + minimumCalls);
            positive(errors, "circuit.wait-in-open", waitInOpen);
        }
    }

    /**
     * Operator events ({@code endpoint.failing}, {@code endpoint.disabled}, {@code notification.gave_up}), sent as JSON
     * besides the log lines and metrics: to a Kafka topic, to an endpoint of this notifier (an operator webhook, with
     * its retries and signatures), or both. Events about the operator endpoint itself go to logs and Kafka only.
     *
     * @param kafkaTopic the topic to publish them to (the producer is Spring Boot's {@code spring.kafka.*}); none when
     *     empty
     * @param endpointId the endpoint that receives them as notifications; none when empty
     */
    public record OperatorEvents(String kafkaTopic, UUID endpointId) {

        void validate(Errors errors) {
            if (kafkaTopic != null && !kafkaTopic.isBlank() && !kafkaTopic.matches("[A-Za-z0-9._-]{1,249}")) {
                errors.rejectValue(
                        "operator-events.kafka-topic",
                        "invalid",
                        "courier.notifier.operator-events.kafka-topic must be a Kafka topic name: 1 to 249 letters,"
                                + " digits, '.', '_' or '-'");
            }
        }
    }

    /**
     * The tenant portal: a page at {@code /portal/} that a merchant opens with a link the platform's backend asks for
     * ({@code POST /api/applications/{id}/portal-links}).
     *
     * @param publicUrl the notifier's address as merchants reach it (e.g. {@code https://webhooks.example.com}), the
     *     start of each link; without it, links start with the address the backend called
     * @param frameOrigins origins whose pages may show the portal in a frame (the platform's own site); none may
     *     when empty
     * @param linkLifetime how long a link works when the request names no lifetime
     */
    public record Portal(
            URI publicUrl,
            @DefaultValue List<String> frameOrigins,
            @DefaultValue("1h") Duration linkLifetime) {

        /** Longest lifetime a link may be given: a portal link is for one visit, not a standing credential. */
        public static final Duration MAX_LINK_LIFETIME = Duration.ofDays(1);

        void validate(Errors errors) {
            if (publicUrl != null) {
                String scheme = publicUrl.getScheme();
                require(
                        errors,
                        ("http".equals(scheme) || "https".equals(scheme))
                                && publicUrl.getHost() != null
                                && publicUrl.getRawQuery() == null
                                && publicUrl.getRawFragment() == null
                                && publicUrl.getRawUserInfo() == null,
                        "portal.public-url",
                        "courier.notifier.portal.public-url must be an http or https address without user, query or"
                                + " fragment, was " + publicUrl);
            }
            try {
                new WebPages(List.of(), List.of(), frameOrigins);
            } catch (IllegalArgumentException e) {
                errors.rejectValue(
                        "portal.frame-origins", "invalid", "courier.notifier.portal.frame-origins: " + e.getMessage());
            }
            require(
                    errors,
                    linkLifetime != null && linkLifetime.isPositive() && linkLifetime.compareTo(MAX_LINK_LIFETIME) <= 0,
                    "portal.link-lifetime",
                    "courier.notifier.portal.link-lifetime must be positive and at most 1d, was " + linkLifetime);
        }
    }

    /**
     * Kafka intake: records of the rules' topics become notifications, idempotent by their {@code id} header (the
     * outbox message id the relay sets), so a record consumed twice is accepted once. The Kafka client is Spring
     * Boot's {@code spring.kafka.*} (servers, security, {@code spring.kafka.consumer.group-id}, default
     * {@code courier-notifier}).
     *
     * @param rules which topic's records go to which endpoint; the intake is off without any
     * @param idHeader the header holding the outbox message id (the relay's {@code courier.relay.kafka.id-header})
     */
    public record Kafka(
            @DefaultValue List<Rule> rules,
            @DefaultValue("id") String idHeader) {

        public Kafka {
            rules = List.copyOf(rules);
        }

        public boolean enabled() {
            return !rules.isEmpty();
        }
    }

    /**
     * Maps a topic's records to an endpoint (a fixed {@code endpointId}, or the endpoint id carried in each record's
     * {@code endpointHeader}: one topic for many merchants), or to an application whose subscribed endpoints each get
     * a delivery (a fixed {@code application}, or the application id in each record's {@code applicationHeader}).
     * Exactly one of the four.
     *
     * @param topic the topic to consume
     * @param endpointId the endpoint every record of the topic goes to
     * @param endpointHeader the record header holding the endpoint id, when not fixed
     * @param eventTypes only records whose {@code type} header is one of these (all when empty)
     * @param defaultEventType the event type of records without a {@code type} header; default the topic name
     * @param application the application every record of the topic is a message for
     * @param applicationHeader the record header holding the application id, when not fixed
     * @param orderingKeyHeader the header holding the ordering key for ordered endpoints; default the record key (the
     *     outbox aggregate id the relay writes)
     */
    public record Rule(
            String topic,
            UUID endpointId,
            String endpointHeader,
            @DefaultValue List<String> eventTypes,
            String defaultEventType,
            String application,
            String applicationHeader,
            String orderingKeyHeader) {

        /** Whether the records become application messages (fanned out) rather than notifications of one endpoint. */
        public boolean toApplication() {
            return application != null || present(applicationHeader);
        }

        private static boolean present(String value) {
            return value != null && !value.isBlank();
        }

        void validate(Errors errors, String path) {
            String name = "courier.notifier." + path;
            if (topic == null || topic.isBlank()) {
                errors.rejectValue(path + ".topic", "invalid", name + ".topic is required");
            } else if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
                errors.rejectValue(
                        path + ".topic",
                        "invalid",
                        name + ".topic must be a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'");
            }
            long targets = Stream.of(
                            endpointId != null,
                            present(endpointHeader),
                            application != null,
                            present(applicationHeader))
                    .filter(Boolean::booleanValue)
                    .count();
            if (targets != 1) {
                errors.rejectValue(
                        path + ".endpoint-id",
                        "invalid",
                        name + " needs exactly one of endpoint-id, endpoint-header, application and"
                                + " application-header");
            }
        }
    }

    /**
     * @param deliveries {@code traced} (the default): the attempts of notifications that came with a trace context
     *     ({@code traceparent}); {@code all}: every attempt, one without a context starting a trace of its own;
     *     {@code none}: no attempt (a stored context is still forwarded to the receiver)
     */
    public record Tracing(@DefaultValue("traced") ObservedDeliveries deliveries) {}

    /** Which delivery attempts the notifier observes. */
    public enum ObservedDeliveries {
        TRACED,
        ALL,
        NONE
    }
}
