package io.github.servicetags.internal;

import io.github.servicetags.ServiceTags;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The non-exported seam through which the command line, the catalog, the cache and the build reach what
 * {@link ServiceTags} keeps package-private (the pattern of the JDK's {@code SharedSecrets}): diagnostics that are
 * not API, and the binary index with its stored tables for files the library writes in places it owns. Set once,
 * by {@code ServiceTags} itself.
 *
 * <p>Internal: not exported by the module; not part of the API.
 */
public final class Internals {
    /** What {@code ServiceTags} offers its own packages. */
    public interface ServiceTagsAccess {
        /** True if the service has any regional tag (the expander's global fallback, the regions command). */
        boolean hasRegionalTags(ServiceTags st, String service);

        /** Writes the binary form with the lookup tables and, when not null, the SHA-256 of the source JSON. */
        void writeWithTables(ServiceTags st, OutputStream out, byte[] origin) throws IOException;

        /**
         * Reads a binary index this library wrote, using its stored tables, and refusing it unless it was made
         * from the JSON with this SHA-256.
         */
        ServiceTags readWithTables(InputStream in, String source, byte[] origin) throws IOException;

        /**
         * The position of {@link ServiceTags#lookupIPv4}'s answer in {@link ServiceTags#tagSets()} (the streaming
         * lookup keeps each answer's output bytes by position).
         */
        int tagSetOfIPv4(ServiceTags st, int ip);

        /** The position of {@link ServiceTags#lookupIPv6}'s answer in {@link ServiceTags#tagSets()}. */
        int tagSetOfIPv6(ServiceTags st, long high, long low);
    }

    private static volatile ServiceTagsAccess serviceTags;

    private Internals() {}

    /** Called once by {@code ServiceTags}; a second call is refused. */
    public static synchronized void setServiceTagsAccess(ServiceTagsAccess access) {
        if (serviceTags != null) {
            throw new IllegalStateException("already set");
        }
        serviceTags = access;
    }

    /** Returns the seam of {@code ServiceTags}, initialising that class if it was not yet. */
    public static ServiceTagsAccess serviceTags() {
        ServiceTagsAccess a = serviceTags;
        if (a == null) {
            try {
                Class.forName(ServiceTags.class.getName(), true, ServiceTags.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = serviceTags;
        }
        return a;
    }
}
