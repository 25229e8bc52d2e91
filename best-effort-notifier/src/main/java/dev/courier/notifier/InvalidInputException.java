package dev.courier.notifier;

import java.util.List;

/**
 * Input that breaks a rule (an endpoint's settings, a notification, a query parameter): each entry of {@link
 * #errors()} names a field and what is wrong with it. Nothing was changed. The REST API answers it with 400, the
 * Kafka intake rejects the record as {@code invalid}.
 */
public final class InvalidInputException extends NotifierException {

    private final List<String> errors;

    public InvalidInputException(List<String> errors) {
        super(String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(String error) {
        this(List.of(error));
    }

    public List<String> errors() {
        return errors;
    }
}
