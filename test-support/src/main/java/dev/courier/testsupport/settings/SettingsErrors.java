package dev.courier.testsupport.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * The validation errors of a start-up that failed on bad settings, as Spring Boot found them, and the report it
 * prints for them (its failure analysis).
 */
public final class SettingsErrors {

    private final ValidationErrors errors;
    private final String report;

    private SettingsErrors(ValidationErrors errors, String report) {
        this.errors = errors;
        this.report = report;
    }

    /**
     * Binds with {@code runner} (whose configuration enables the settings record) as Spring Boot does at start-up,
     * validation included, and returns the bound record.
     *
     * @throws AssertionError when the start-up fails
     */
    public static <T> T bind(ApplicationContextRunner runner, Class<T> type, String... values) {
        AtomicReference<T> bound = new AtomicReference<>();
        runner.withPropertyValues(values).run(context -> {
            if (context.getStartupFailure() != null) {
                throw new AssertionError("the settings did not bind", context.getStartupFailure());
            }
            bound.set(context.getBean(type));
        });
        return bound.get();
    }

    /** Binds with {@code runner} as {@link #bind} does, and returns the errors that failed the start-up. */
    public static SettingsErrors of(ApplicationContextRunner runner, String... values) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        runner.withPropertyValues(values).run(context -> failure.set(context.getStartupFailure()));
        return of(failure.get());
    }

    /**
     * @param startupFailure what the start-up threw
     * @throws AssertionError when the failure is not one of validated settings
     */
    public static SettingsErrors of(Throwable startupFailure) {
        if (startupFailure == null) {
            throw new AssertionError("the start-up did not fail");
        }
        for (Throwable cause = startupFailure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindValidationException invalid) {
                return new SettingsErrors(invalid.getValidationErrors(), report(startupFailure));
            }
        }
        throw new AssertionError("the start-up failed, but not on validated settings", startupFailure);
    }

    /** The full names of the properties with errors, in the order they were found. */
    public List<String> properties() {
        List<String> names = new ArrayList<>();
        for (ObjectError error : errors) {
            if (error instanceof FieldError field) {
                names.add(errors.getName() + "." + field.getField());
            }
        }
        return names;
    }

    /** Every error's message, those bound to no property included. */
    public List<String> messages() {
        List<String> messages = new ArrayList<>();
        errors.forEach(error -> messages.add(error.getDefaultMessage()));
        return messages;
    }

    /** The message of the error of {@code property} (its full name). */
    public String message(String property) {
        for (ObjectError error : errors) {
            if (error instanceof FieldError field && property.equals(errors.getName() + "." + field.getField())) {
                return field.getDefaultMessage();
            }
        }
        throw new AssertionError("no error for " + property + "; errors for " + properties());
    }

    /** What Spring Boot prints for the failure (its failure analysis), or "" when no analyzer describes it. */
    public String report() {
        return report;
    }

    private static String report(Throwable failure) {
        return SpringFactoriesLoader.forDefaultResourceLocation(SettingsErrors.class.getClassLoader())
                .load(
                        FailureAnalyzer.class,
                        SpringFactoriesLoader.FailureHandler.logging(
                                org.apache.commons.logging.LogFactory.getLog(SettingsErrors.class)))
                .stream()
                .map(analyzer -> analyzer.analyze(failure))
                .filter(Objects::nonNull)
                .map(FailureAnalysis::getDescription)
                .findFirst()
                .orElse("");
    }
}
