package dev.courier.testsupport.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;

/**
 * The configuration metadata on the class path ({@code META-INF/spring-configuration-metadata.json}, which the
 * configuration processor writes from the settings records and their javadoc, merged with the additional metadata of
 * hints and deprecations): what an IDE shows while a user edits {@code application.yml}.
 */
public final class SettingsMetadata {

    private final Map<String, ConfigurationMetadataProperty> properties;

    private SettingsMetadata(Map<String, ConfigurationMetadataProperty> properties) {
        this.properties = properties;
    }

    /** The settings whose names start with {@code prefix}. */
    public static SettingsMetadata of(String prefix) {
        ConfigurationMetadataRepositoryJsonBuilder builder =
                ConfigurationMetadataRepositoryJsonBuilder.create(StandardCharsets.UTF_8);
        try {
            for (URL file : Collections.list(SettingsMetadata.class
                    .getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json"))) {
                try (InputStream in = file.openStream()) {
                    builder.withJsonResource(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConfigurationMetadataRepository repository = builder.build();
        Map<String, ConfigurationMetadataProperty> selected = new TreeMap<>();
        repository.getAllProperties().forEach((name, property) -> {
            if (name.startsWith(prefix)) {
                selected.put(name, property);
            }
        });
        return new SettingsMetadata(selected);
    }

    public Map<String, ConfigurationMetadataProperty> properties() {
        return properties;
    }

    /** The property {@code name}. */
    public ConfigurationMetadataProperty property(String name) {
        ConfigurationMetadataProperty property = properties.get(name);
        if (property == null) {
            throw new AssertionError("no metadata for " + name + "; there is for " + properties.keySet());
        }
        return property;
    }

    /** The names of the settings without a description. */
    public List<String> undocumented() {
        List<String> names = new ArrayList<>();
        properties.forEach((name, property) -> {
            if (property.getDescription() == null || property.getDescription().isBlank()) {
                names.add(name);
            }
        });
        return names;
    }

    /** The values an IDE offers for {@code name}. */
    public List<Object> valueHints(String name) {
        return property(name).getHints().getValueHints().stream()
                .map(hint -> hint.getValue())
                .toList();
    }

    /** The map keys an IDE offers for {@code name}. */
    public List<Object> keyHints(String name) {
        return property(name).getHints().getKeyHints().stream()
                .map(hint -> hint.getValue())
                .toList();
    }
}
