/**
 * Azure service tags as a compact, immutable prefix index, a port catalog and firewall renderers.
 *
 * <p>Exports only the public API: {@code io.github.servicetags} (index and values), {@code .catalog} (port catalog
 * and expansion), {@code .render} (output formats) and {@code .update} (fresh data). Index internals and the command
 * line are not exported.
 */
module io.github.servicetags {
    requires com.fasterxml.jackson.core;
    requires com.github.benmanes.caffeine;
    requires java.net.http;
    requires static info.picocli;

    exports io.github.servicetags;
    exports io.github.servicetags.catalog;
    exports io.github.servicetags.render;
    exports io.github.servicetags.update;

    opens io.github.servicetags.cli to info.picocli;
}
