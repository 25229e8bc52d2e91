package dev.courier.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboxMessageTest {

    @Test
    void rejectsBlankOrOverlongNamesNamingTheField() {
        assertThatThrownBy(() -> OutboxMessage.of(" ", "1", "T", null)).hasMessage("aggregateType must not be blank");
        assertThatThrownBy(() -> OutboxMessage.of("order", null, "T", null))
                .hasMessage("aggregateId must not be blank");
        assertThatThrownBy(() -> OutboxMessage.of("order", "1", "x".repeat(256), null))
                .hasMessage("type must be at most 255 characters, was 256");
    }

    @Test
    void copiesHeadersSoLaterChangesDoNotLeakIn() {
        Map<String, String> headers = new HashMap<>(Map.of("a", "1"));
        OutboxMessage message = new OutboxMessage("order", "1", "T", null, headers);
        headers.put("b", "2");

        assertThat(message.headers()).containsOnlyKeys("a");
        assertThat(new OutboxMessage("order", "1", "T", null, null).headers()).isEmpty();
        assertThatThrownBy(() -> new OutboxMessage("order", "1", "T", null, Map.of(" ", "x")))
                .hasMessage("header names must not be blank");
    }
}
