package dev.courier.relay.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Watches the supervised loops of a relay running in this JVM from outside: {@code loops.<name>} in
 * {@code /actuator/health} (with the token) and {@code courier.relay.loop.*} in its meter registry.
 */
public record LoopWatch(RelayInstance relay, Duration failsWithin, Duration recoversWithin) {

    /** The relay indicator's details in {@code /actuator/health}. */
    public JsonNode details() throws Exception {
        String body = relay.get("/actuator/health", RelayInstance.TOKEN).body();
        return JsonMapper.shared()
                .readTree(body)
                .path("components")
                .path("relay")
                .path("details");
    }

    public JsonNode loop(String name) throws Exception {
        return details().path("loops").path(name);
    }

    /** {@code courier.relay.loop.up} of the loop: 1 while it runs without failing. */
    public double up(String name) {
        return relay.bean(MeterRegistry.class)
                .get("courier.relay.loop.up")
                .tag("loop", name)
                .gauge()
                .value();
    }

    /** Waits until the loop reports a failure everywhere: details, gauge, a 503; and its failure counter moved. */
    public void awaitFailing(String name, String errorPart) {
        await().atMost(failsWithin).untilAsserted(() -> {
            JsonNode loop = loop(name);
            assertThat(loop.path("failingSince").isMissingNode())
                    .as("%s: %s", name, loop)
                    .isFalse();
            assertThat(loop.path("lastError").asString()).contains(errorPart);
            assertThat(up(name)).isZero();
            assertThat(relay.http().health()).isEqualTo(503);
        });
        assertThat(relay.bean(MeterRegistry.class)
                        .get("courier.relay.loop.failures")
                        .tag("loop", name)
                        .counter()
                        .count())
                .isPositive();
    }

    /** Waits until the loop runs without failing again. */
    public void awaitRecovered(String name) {
        await().atMost(recoversWithin).untilAsserted(() -> {
            JsonNode loop = loop(name);
            assertThat(loop.path("failingSince").isMissingNode())
                    .as("%s: %s", name, loop)
                    .isTrue();
            assertThat(loop.path("running").asBoolean()).isTrue();
            assertThat(up(name)).isOne();
        });
    }
}
