package dev.courier.notifier.api;

import dev.courier.notifier.NotifierException;
import java.util.List;

/** A request the API refuses with 400: each entry of {@link #errors()} names a field and what is wrong with it. */
public final class InvalidRequestException extends NotifierException {

    private final List<String> errors;

    public InvalidRequestException(List<String> errors) {
        super(String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public InvalidRequestException(String error) {
        this(List.of(error));
    }

    public List<String> errors() {
        return errors;
    }
}
