package dev.courier.rocketmq.autoconfigure;

import static dev.courier.outbox.autoconfigure.SettingsValidation.check;
import static dev.courier.outbox.autoconfigure.SettingsValidation.require;

import dev.courier.outbox.Durations;
import dev.courier.outbox.SqlIdentifiers;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Settings of the RocketMQ transactional sender, prefix {@code courier.rocketmq}. Validated when bound: bad values
 * fail the start-up, every one of them reported at once against its property.
 *
 * @param nameServer {@code host:port} of the name server(s), {@code ;}-separated; the sender is created only when set
 * @param group the producer group, shared by every instance of the service (any of them answers check-backs)
 * @param topics topics the service sends to: registered at start-up, so that a fresh instance answers check-backs for
 *     messages a crashed one sent
 * @param sendTimeout timeout of the half message's send
 * @param checkThreads threads answering check-backs
 * @param checkLockTimeout how long a check-back waits for a local transaction still running before answering UNKNOW
 *     (the broker asks again later)
 * @param fence the fence table
 */
@ConfigurationProperties("courier.rocketmq")
public record RocketMqProperties(
        String nameServer,
        String group,
        @DefaultValue List<String> topics,
        @DefaultValue("3s") Duration sendTimeout,
        @DefaultValue("4") int checkThreads,
        @DefaultValue("5s") Duration checkLockTimeout,
        @DefaultValue Fence fence)
        implements Validator {

    @Override
    public boolean supports(Class<?> type) {
        return RocketMqProperties.class.isAssignableFrom(type);
    }

    /** Every bad value at once, each against its property (Spring Boot calls this once the record is bound). */
    @Override
    public void validate(Object target, Errors errors) {
        RocketMqProperties settings = (RocketMqProperties) target;
        require(
                errors,
                settings.nameServer() == null
                        || (settings.group() != null && !settings.group().isBlank()),
                "group",
                "courier.rocketmq.group is required with courier.rocketmq.name-server (the producer group)");
        require(
                errors,
                settings.checkThreads() >= 1,
                "check-threads",
                "courier.rocketmq.check-threads must be at least 1, was " + settings.checkThreads());
        check(
                errors,
                "send-timeout",
                () -> Durations.requirePositive(settings.sendTimeout(), "courier.rocketmq.send-timeout"));
        check(
                errors,
                "check-lock-timeout",
                () -> Durations.requirePositive(settings.checkLockTimeout(), "courier.rocketmq.check-lock-timeout"));
        Fence fence = settings.fence();
        check(errors, "fence.table", () -> SqlIdentifiers.require(fence.table(), "courier.rocketmq.fence.table"));
        require(
                errors,
                fence.retention() != null && fence.retention().compareTo(Duration.ofHours(1)) >= 0,
                "fence.retention",
                "courier.rocketmq.fence.retention must be at least 1h (longer than the broker keeps half messages),"
                        + " was " + fence.retention());
        check(
                errors,
                "fence.cleanup-interval",
                () -> Durations.requirePositive(fence.cleanupInterval(), "courier.rocketmq.fence.cleanup-interval"));
    }

    /**
     * @param table the fence table
     * @param migrate whether to apply the fence table's Flyway migration at start-up
     * @param retention how long fence rows are kept; longer than the broker keeps half messages (its
     *     {@code fileReservedTime}, 72 h by default), at least 1 h
     * @param cleanupInterval how often expired rows are deleted
     * @param cleanupEnabled whether this instance deletes expired rows
     */
    public record Fence(
            @DefaultValue("courier_tx_fence") String table,
            @DefaultValue("true") boolean migrate,
            @DefaultValue("7d") Duration retention,
            @DefaultValue("1h") Duration cleanupInterval,
            @DefaultValue("true") boolean cleanupEnabled) {}
}
