package dev.courier.notifier.notification;

import dev.courier.notifier.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Fields of a JSON request body read strictly: a value of the wrong JSON type is refused naming its field, never
 * coerced (a number where text belongs, an object where a list belongs).
 */
public final class RequestFields {

    private RequestFields() {}

    /** A text field, or null when it is absent, null or not text (the caller's checks then report it as missing). */
    public static String text(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }

    /** An optional text field: absent or null is null; any other type than text is refused naming the field. */
    public static String optionalText(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new InvalidInputException(field + ": must be a string");
        }
        return node.asString();
    }

    public static UUID uuid(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new InvalidInputException(field + ": must be a UUID string");
        }
        try {
            return UUID.fromString(node.asString());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field + ": not a UUID");
        }
    }

    /** An object of header names to string values; absent or null: none. */
    public static Map<String, String> headers(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidInputException("headers: must be an object of header names to string values");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isString()) {
                throw new InvalidInputException("headers: the value of '" + entry.getKey() + "' must be a string");
            }
            headers.put(entry.getKey(), entry.getValue().asString());
        }
        return headers;
    }

    /** A list of strings; absent or null: null. */
    public static List<String> strings(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new InvalidInputException(field + ": must be a list of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isString()) {
                throw new InvalidInputException(field + ": must be a list of strings");
            }
            values.add(element.asString());
        }
        return values;
    }
}
