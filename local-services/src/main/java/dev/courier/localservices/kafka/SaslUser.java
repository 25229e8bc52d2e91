package dev.courier.localservices.kafka;

import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/** A user of a broker that accepts SASL/PLAIN clients only, and the client settings that log in as it. */
public record SaslUser(String name, String password) {

    public SaslUser {
        if (!name.matches("[A-Za-z0-9_-]+") || !password.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("test user names and passwords are letters, digits, '_' and '-'");
        }
    }

    /** The JAAS line of a client logging in as this user. */
    public String jaasConfig() {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + name + "\" password=\""
                + password + "\";";
    }

    /** Kafka client settings (Kafka's names) that log in as this user. */
    public Map<String, Object> clientSettings() {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, jaasConfig());
    }
}
