package dev.courier.outbox.autoconfigure;

import org.springframework.validation.Errors;

/**
 * Validation of Courier's {@code @ConfigurationProperties} records, which validate themselves (they implement
 * Spring's {@code Validator}, which Spring Boot calls once the record is bound). Every bad value is reported at once,
 * each against its property with its value and origin, as Spring Boot reports Bean Validation failures.
 */
public final class SettingsValidation {

    private SettingsValidation() {}

    /**
     * Runs {@code check}; the {@link IllegalArgumentException} it throws becomes an error of {@code field} (the path
     * below the record's prefix, in dashed form, such as {@code inbox.retention}) with the exception's message.
     */
    public static void check(Errors errors, String field, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            errors.rejectValue(field, "invalid", e.getMessage());
        }
    }

    /** An error of {@code field} with {@code message} unless {@code valid}. */
    public static void require(Errors errors, boolean valid, String field, String message) {
        if (!valid) {
            errors.rejectValue(field, "invalid", message);
        }
    }

    /**
     * Like {@link #check}, for a secret: the error names the property in its message but is not bound to it, so
     * that the failure report never prints the value.
     */
    public static void checkSecret(Errors errors, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            errors.reject("invalid", e.getMessage());
        }
    }
}
