package io.github.servicetags.update;

import java.io.IOException;

/**
 * An update that did not install anything: network failure, refused redirect, size limit, invalid file, downgrade.
 * The cache is unchanged when this is thrown; the message says what happened and, where there is one, what to do.
 */
public class UpdateException extends IOException {
    private static final long serialVersionUID = 1L;

    /** With a message for the user. */
    public UpdateException(String message) {
        super(message);
    }

    /** With a message for the user and the underlying cause. */
    public UpdateException(String message, Throwable cause) {
        super(message, cause);
    }
}
