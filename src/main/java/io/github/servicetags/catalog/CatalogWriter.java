package io.github.servicetags.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;

/** Writes a catalog in the file schema, which {@link CatalogReader} reads back to an equal catalog. */
final class CatalogWriter {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .build();

    private CatalogWriter() {}

    static void write(Catalog catalog, Writer out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", Catalog.SCHEMA_VERSION);
            g.writeStringField("catalogVersion", catalog.catalogVersion());
            g.writeArrayFieldStart("products");
            for (Product p : catalog.products()) {
                g.writeStartObject();
                g.writeStringField("id", p.id());
                g.writeStringField("name", p.name());
                g.writeStringField("source", p.source());
                g.writeArrayFieldStart("roles");
                for (String r : p.roles()) {
                    g.writeString(r);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("flows");
                for (Flow f : p.flows()) {
                    writeFlow(g, f);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            if (!catalog.dependencies().isEmpty()) {
                g.writeArrayFieldStart("dependencies");
                for (Dependency d : catalog.dependencies()) {
                    writeDependency(g, d);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        out.write('\n');
    }

    private static void writeFlow(JsonGenerator g, Flow f) throws IOException {
        g.writeStartObject();
        g.writeStringField("from", f.from());
        g.writeFieldName("to");
        writeDestination(g, f.to());
        g.writeStringField("protocol", f.protocol().spelling());
        g.writeArrayFieldStart("ports");
        for (PortRange r : f.ports()) {
            g.writeString(r.toString());
        }
        g.writeEndArray();
        g.writeBooleanField("optional", f.optional());
        g.writeStringField("purpose", f.purpose());
        g.writeStringField("source", f.source());
        if (!f.clouds().isEmpty()) {
            g.writeObjectFieldStart("clouds");
            for (Map.Entry<String, Destination> e : f.clouds().entrySet()) {
                g.writeFieldName(e.getKey());
                writeDestination(g, e.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeDependency(JsonGenerator g, Dependency d) throws IOException {
        g.writeStartObject();
        g.writeStringField("tag", d.tag());
        g.writeArrayFieldStart("requires");
        for (String r : d.requires()) {
            g.writeString(r);
        }
        g.writeEndArray();
        if (d.protocol() != null) {
            g.writeStringField("protocol", d.protocol().spelling());
            g.writeArrayFieldStart("ports");
            for (PortRange r : d.ports()) {
                g.writeString(r.toString());
            }
            g.writeEndArray();
        }
        g.writeStringField("reason", d.reason());
        g.writeStringField("source", d.source());
        g.writeEndObject();
    }

    private static void writeDestination(JsonGenerator g, Destination d) throws IOException {
        g.writeStartObject();
        if (d.kind() == Destination.Kind.FQDN) {
            g.writeArrayFieldStart("fqdns");
            for (String n : d.fqdns()) {
                g.writeString(n);
            }
            g.writeEndArray();
        } else {
            g.writeStringField(d.kind().key(), d.value());
        }
        g.writeEndObject();
    }
}
