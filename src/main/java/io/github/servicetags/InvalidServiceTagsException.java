package io.github.servicetags;

import java.io.IOException;

/**
 * A service-tags file (or a catalog or binary index) that cannot be used: malformed, truncated, hostile or over a
 * limit. The message names the source, the location in it and the problem.
 *
 * <pre>{@code
 * try { ServiceTags.load(Path.of("page.html")); }
 * catch (InvalidServiceTagsException e) {
 *     e.getMessage()  // "page.html: line 1, column 1: this is an HTML page, not JSON; ..."
 * }
 * }</pre>
 */
public class InvalidServiceTagsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String location;
    private final String problem;

    /**
     * Creates the exception.
     *
     * @param source the file or stream name
     * @param location where in the source, such as {@code "line 3, column 7 (values[2].name)"}; may be empty
     * @param problem what is wrong, and where possible how to fix it
     */
    public InvalidServiceTagsException(String source, String location, String problem) {
        this(source, location, problem, null);
    }

    /** Creates the exception with a cause. */
    public InvalidServiceTagsException(String source, String location, String problem, Throwable cause) {
        super(source + (location == null || location.isEmpty() ? "" : ": " + location) + ": " + problem, cause);
        this.source = source;
        this.location = location == null ? "" : location;
        this.problem = problem;
    }

    /** Returns the name of the file or stream. */
    public String source() {
        return source;
    }

    /** Returns the location in the source, or an empty string when it has none. */
    public String location() {
        return location;
    }

    /** Returns the problem, without source and location. */
    public String problem() {
        return problem;
    }
}
