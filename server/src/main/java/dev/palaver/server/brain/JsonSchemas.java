package dev.palaver.server.brain;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import tools.jackson.databind.JsonNode;

/**
 * Checks tool arguments against the tool's JSON Schema, so that a model's malformed call is answered with
 * what is wrong instead of reaching the tool. Understands the keywords tool schemas use: {@code type}
 * (one or a list), {@code properties}, {@code required}, {@code additionalProperties} (boolean or schema),
 * {@code enum}, {@code const}, {@code minLength}, {@code maxLength}, {@code pattern}, {@code format}
 * ({@code date}, {@code time}, {@code date-time}), {@code minimum}, {@code maximum},
 * {@code exclusiveMinimum}, {@code exclusiveMaximum}, {@code items}, {@code minItems}, {@code maxItems}.
 * Other keywords are ignored (they constrain nothing here).
 */
final class JsonSchemas {

    private static final int MAX_ERRORS = 10;

    private JsonSchemas() {
    }

    /** What is wrong with {@code value}, each as "path: problem"; empty when it conforms. */
    static List<String> validate(JsonNode schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "$", errors);
        return errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (schema == null || !schema.isObject() || errors.size() > MAX_ERRORS) {
            return;
        }
        JsonNode type = schema.get("type");
        if (type != null && !typeMatches(type, value)) {
            errors.add(path + ": must be " + describe(type) + ", not " + kind(value));
            return;
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && allowed.isArray() && allowed.valueStream().noneMatch(a -> equal(a, value))) {
            errors.add(path + ": must be one of " + allowed);
        }
        JsonNode constant = schema.get("const");
        if (constant != null && !equal(constant, value)) {
            errors.add(path + ": must be " + constant);
        }
        if (value.isString()) {
            checkString(schema, value.stringValue(), path, errors);
        } else if (value.isNumber()) {
            checkNumber(schema, value.doubleValue(), path, errors);
        } else if (value.isObject()) {
            checkObject(schema, value, path, errors);
        } else if (value.isArray()) {
            checkArray(schema, value, path, errors);
        }
    }

    private static void checkString(JsonNode schema, String s, String path, List<String> errors) {
        int length = s.codePointCount(0, s.length());
        if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
            errors.add(path + ": must have at least " + schema.get("minLength").asInt() + " characters");
        }
        if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
            errors.add(path + ": must have at most " + schema.get("maxLength").asInt() + " characters");
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && pattern.isString()) {
            try {
                if (!Pattern.compile(pattern.stringValue()).matcher(s).find()) {
                    errors.add(path + ": must match " + pattern.stringValue());
                }
            } catch (PatternSyntaxException e) {
                errors.add(path + ": the schema's pattern is not a valid regular expression");
            }
        }
        JsonNode format = schema.get("format");
        if (format != null && format.isString() && !formatMatches(format.stringValue(), s)) {
            errors.add(path + ": must be a " + format.stringValue() + " (" + FORMAT_EXAMPLES.getOrDefault(
                    format.stringValue(), format.stringValue()) + ")");
        }
    }

    private static final Map<String, String> FORMAT_EXAMPLES = Map.of(
            "date", "YYYY-MM-DD", "time", "HH:MM", "date-time", "e.g. 2026-12-01T15:00:00Z");

    private static boolean formatMatches(String format, String s) {
        try {
            switch (format) {
                case "date" -> LocalDate.parse(s);
                case "time" -> LocalTime.parse(s);
                case "date-time" -> OffsetDateTime.parse(s);
                default -> {
                    return true;
                }
            }
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static void checkNumber(JsonNode schema, double d, String path, List<String> errors) {
        if (schema.has("minimum") && d < schema.get("minimum").asDouble()) {
            errors.add(path + ": must be at least " + schema.get("minimum"));
        }
        if (schema.has("maximum") && d > schema.get("maximum").asDouble()) {
            errors.add(path + ": must be at most " + schema.get("maximum"));
        }
        if (schema.has("exclusiveMinimum") && schema.get("exclusiveMinimum").isNumber()
                && d <= schema.get("exclusiveMinimum").asDouble()) {
            errors.add(path + ": must be greater than " + schema.get("exclusiveMinimum"));
        }
        if (schema.has("exclusiveMaximum") && schema.get("exclusiveMaximum").isNumber()
                && d >= schema.get("exclusiveMaximum").asDouble()) {
            errors.add(path + ": must be less than " + schema.get("exclusiveMaximum"));
        }
    }

    private static void checkObject(JsonNode schema, JsonNode value, String path, List<String> errors) {
        JsonNode properties = schema.get("properties");
        JsonNode required = schema.get("required");
        if (required != null && required.isArray()) {
            for (JsonNode name : required) {
                if (name.isString() && (!value.has(name.stringValue()) || value.get(name.stringValue()).isNull())) {
                    errors.add(path + "." + name.stringValue() + ": is required");
                }
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        for (var field : value.properties()) {
            String child = path + "." + field.getKey();
            JsonNode propertySchema = properties == null ? null : properties.get(field.getKey());
            if (propertySchema != null) {
                if (!field.getValue().isNull()) {
                    check(propertySchema, field.getValue(), child, errors);
                }
            } else if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
                errors.add(child + ": is not a parameter of this tool");
            } else if (additional != null && additional.isObject()) {
                check(additional, field.getValue(), child, errors);
            }
        }
    }

    private static void checkArray(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
            errors.add(path + ": must have at least " + schema.get("minItems").asInt() + " items");
        }
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
            errors.add(path + ": must have at most " + schema.get("maxItems").asInt() + " items");
        }
        JsonNode items = schema.get("items");
        if (items != null && items.isObject()) {
            for (int i = 0; i < value.size(); i++) {
                check(items, value.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            return type.valueStream().anyMatch(t -> typeMatches(t, value));
        }
        if (!type.isString()) {
            return true;
        }
        return switch (type.stringValue()) {
            case "string" -> value.isString();
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber()
                    || (value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue()));
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "null" -> value.isNull();
            default -> true;
        };
    }

    private static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String describe(JsonNode type) {
        return type.isArray() ? "one of " + type : "a" + (type.asString().matches("^[aeiou].*") ? "n " : " ")
                + type.asString();
    }

    private static String kind(JsonNode value) {
        if (value.isString()) {
            return "a string";
        }
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        return "null";
    }
}
