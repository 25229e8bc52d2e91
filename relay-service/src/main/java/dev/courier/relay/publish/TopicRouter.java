package dev.courier.relay.publish;

import java.util.Map;

/** Topic of an aggregate type: an explicit override, else prefix + aggregate type (Debezium EventRouter's rule). */
public final class TopicRouter {

    private final String prefix;
    private final Map<String, String> overrides;

    public TopicRouter(String prefix, Map<String, String> overrides) {
        this.prefix = prefix;
        this.overrides = Map.copyOf(overrides);
    }

    public String topicOf(String aggregateType) {
        String topic = overrides.get(aggregateType);
        return topic != null ? topic : prefix + aggregateType;
    }
}
