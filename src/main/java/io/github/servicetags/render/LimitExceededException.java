package io.github.servicetags.render;

import java.io.IOException;

/**
 * The output cannot fit the limits of a {@link FitProfile}, even after merging adjacent prefixes. Nothing was
 * written. The command line exits with status 1.
 *
 * <pre>{@code
 * e.getMessage()  // "nsg: 1320 security rules are needed after merging adjacent prefixes, but an NSG allows 1000"
 * }</pre>
 */
public final class LimitExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String profile;
    private final long needed;
    private final long allowed;

    LimitExceededException(String profile, long needed, long allowed, String message) {
        super(message);
        this.profile = profile;
        this.needed = needed;
        this.allowed = allowed;
    }

    /** The profile whose limit was exceeded. */
    public String profile() {
        return profile;
    }

    /** What the output would need. */
    public long needed() {
        return needed;
    }

    /** What the profile allows. */
    public long allowed() {
        return allowed;
    }
}
