package io.github.servicetags.update;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What {@link Updater#update()} did.
 *
 * @param status               installed a new file, or found the cache already current
 * @param cloud                the cloud updated
 * @param file                 the cached file ({@code current.json})
 * @param provenance           where the cached file came from
 * @param previousChangeNumber the changeNumber the cache held before, if any
 */
public record UpdateResult(Status status, Cloud cloud, Path file, Provenance provenance,
                           OptionalLong previousChangeNumber) {

    /** The outcome of an update. */
    public enum Status {
        /** A new file was validated and installed; the old one is kept as previous. */
        INSTALLED,
        /** The cache already held this file; nothing changed. */
        UP_TO_DATE
    }

    /** The changeNumber now in the cache. */
    public long changeNumber() {
        return provenance.changeNumber();
    }
}
