package io.github.servicetags.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.catalog.Expansion;
import io.github.servicetags.catalog.PortRange;
import io.github.servicetags.catalog.Rule;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/** The {@code expand --format json} document of the design contract. */
final class JsonRenderer implements Renderers.Renderer {
    static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .build();

    static JsonGenerator generator(Writer out) throws IOException {
        return FACTORY.createGenerator(out).useDefaultPrettyPrinter();
    }

    @Override
    public void render(Expansion e, RenderOptions options, Writer out, List<String> warnings) throws IOException {
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            g.writeStringField("product", e.product());
            g.writeStringField("region", e.region());
            g.writeStringField("cloud", e.cloud());
            g.writeNumberField("changeNumber", e.changeNumber());
            g.writeArrayFieldStart("rules");
            for (Rule r : e.rules()) {
                g.writeStartObject();
                g.writeStringField("from", r.from());
                g.writeStringField("to", r.to());
                g.writeStringField("kind", r.kind().name().toLowerCase(Locale.ROOT));
                g.writeStringField("protocol", r.protocol().name().toLowerCase(Locale.ROOT));
                g.writeArrayFieldStart("ports");
                for (PortRange p : r.ports() == null ? List.<PortRange>of() : r.ports()) {
                    g.writeString(p.toString());
                }
                g.writeEndArray();
                prefixes(g, "prefixes", r.prefixes(), options);
                g.writeArrayFieldStart("fqdns");
                for (String f : r.fqdns() == null ? List.<String>of() : r.fqdns()) {
                    g.writeString(f);
                }
                g.writeEndArray();
                g.writeBooleanField("optional", r.optional());
                g.writeStringField("purpose", r.purpose());
                if (r.dependencyOf() != null) {
                    g.writeStringField("dependencyOf", r.dependencyOf());
                }
                prefixes(g, "fromPrefixes", r.fromPrefixes(), options);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("warnings");
            for (String w : e.warnings() == null ? List.<String>of() : e.warnings()) {
                g.writeString(w);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
    }

    /** A prefix array as the data has it, or merged per family with aggregation on. */
    private static void prefixes(JsonGenerator g, String field, List<IpPrefix> prefixes, RenderOptions options)
            throws IOException {
        g.writeArrayFieldStart(field);
        if (options.aggregate()) {
            for (IpFamily f : IpFamily.values()) {
                for (IpPrefix p : Plan.prefixes(prefixes, f, options)) {
                    g.writeString(p.toString());
                }
            }
        } else {
            for (IpPrefix p : prefixes == null ? List.<IpPrefix>of() : prefixes) {
                g.writeString(p.toString());
            }
        }
        g.writeEndArray();
    }
}
