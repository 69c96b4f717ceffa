package io.github.servicetags.internal;

import com.fasterxml.jackson.core.JsonToken;

/** Small text helpers for error messages: data from files is shown escaped, never raw. */
public final class Strings {
    private Strings() {}

    /** Returns {@code s} with control and non-ASCII characters escaped as {@code \\uXXXX}, cut at 200 characters. */
    public static String printable(CharSequence s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 200) + 8);
        for (int i = 0; i < s.length(); i++) {
            if (sb.length() >= 200) {
                sb.append("...(").append(s.length()).append(" chars)");
                break;
            }
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Returns {@code s} printable and in single quotes. */
    public static String quote(CharSequence s) {
        return "'" + printable(s) + "'";
    }

    /** Names a JSON token for error messages ("an object", "a string", "the end of the file"). */
    public static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the file";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case END_OBJECT, END_ARRAY -> "the end of the " + (t == JsonToken.END_OBJECT ? "object" : "array");
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    /**
     * Appends {@code "from -> to protocol port,port"}, the one spelling of a flow or rule in text forms
     * ({@code Rule}, {@code FlowMatch}, the rule diff's headers).
     */
    public static StringBuilder appendFlow(StringBuilder sb, String from, String to, Object protocol,
            java.util.List<?> ports) {
        sb.append(from).append(" -> ").append(to).append(' ').append(protocol);
        for (int i = 0; i < ports.size(); i++) {
            sb.append(i == 0 ? " " : ",").append(ports.get(i));
        }
        return sb;
    }
}
