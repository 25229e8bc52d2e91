package dev.courier.supervision.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.impl.NoOpLog;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class RenamedPropertiesTest {

    private final List<String> warnings = new ArrayList<>();
    private final NoOpLog log = new NoOpLog() {
        @Override
        public void warn(Object message) {
            warnings.add(message.toString());
        }
    };

    @Test
    void carriesAnOldKeyToItsNewNameWithAWarning() {
        StandardEnvironment environment = environment(Map.of("old.url", "jdbc:postgresql://db/app"));

        renamed().applyTo(environment, "renamed");

        assertThat(environment.getProperty("new.url")).isEqualTo("jdbc:postgresql://db/app");
        assertThat(warnings).containsExactly("old.url is deprecated and will be removed in 0.3: use new.url");
    }

    @Test
    void theNewKeyWinsWhenBothAreSet() {
        StandardEnvironment environment = environment(Map.of("old.url", "jdbc:old", "new.url", "jdbc:new"));

        renamed().applyTo(environment, "renamed");

        assertThat(environment.getProperty("new.url")).isEqualTo("jdbc:new");
        assertThat(warnings).containsExactly("old.url is deprecated and ignored: new.url is set too, and wins");
    }

    @Test
    void readsOldKeysFromEnvironmentVariablesToo() {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("env", Map.of("OLD_URL", "jdbc:env")));

        renamed().applyTo(environment, "renamed");

        assertThat(environment.getProperty("new.url")).isEqualTo("jdbc:env");
    }

    @Test
    void carriesEveryEntryOfARenamedMap() {
        StandardEnvironment environment =
                environment(Map.of("old.producer.linger.ms", "5", "old.producer.compression.type", "zstd"));

        renamed().applyTo(environment, "renamed");

        Map<String, String> carried = Binder.get(environment)
                .bind("new.properties", Bindable.mapOf(String.class, String.class))
                .get();
        assertThat(carried).containsEntry("linger.ms", "5").containsEntry("compression.type", "zstd");
        assertThat(warnings).hasSize(2);
    }

    @Test
    void addsNothingWhenNoOldKeyIsSet() {
        StandardEnvironment environment = environment(Map.of("new.url", "jdbc:new"));

        renamed().applyTo(environment, "renamed");

        assertThat(environment.getPropertySources().contains("renamed")).isFalse();
        assertThat(warnings).isEmpty();
    }

    private RenamedProperties renamed() {
        return new RenamedProperties(log, "0.3").key("old.url", "new.url").map("old.producer", "new.properties");
    }

    private static StandardEnvironment environment(Map<String, Object> values) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application", values));
        return environment;
    }
}
