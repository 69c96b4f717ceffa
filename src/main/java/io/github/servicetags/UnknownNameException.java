package io.github.servicetags;

import java.util.List;

/**
 * A tag, region, service or product name that does not exist; the message lists the closest names.
 *
 * <pre>{@code
 * st.prefixes("Sql.WestEuropa")
 * // UnknownNameException: unknown tag 'Sql.WestEuropa'; did you mean Sql.WestEurope?
 * }</pre>
 */
public class UnknownNameException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String name;
    private final List<String> suggestions;

    /**
     * Creates the exception.
     *
     * @param kind what was looked up: "tag", "region", "product", ...
     * @param name the name as given
     * @param suggestions the closest existing names, best first (may be empty)
     */
    public UnknownNameException(String kind, String name, List<String> suggestions) {
        super(message(kind, name, suggestions));
        this.kind = kind;
        this.name = name;
        this.suggestions = List.copyOf(suggestions);
    }

    private static String message(String kind, String name, List<String> suggestions) {
        String m = "unknown " + kind + " " + io.github.servicetags.internal.Strings.quote(String.valueOf(name));
        return suggestions.isEmpty() ? m : m + "; did you mean " + String.join(", ", suggestions) + "?";
    }

    /** Returns what kind of name it was: "tag", "region", "service", "product". */
    public String kind() {
        return kind;
    }

    /** Returns the unknown name as given. */
    public String name() {
        return name;
    }

    /** Returns the closest existing names, best first. */
    public List<String> suggestions() {
        return suggestions;
    }
}
