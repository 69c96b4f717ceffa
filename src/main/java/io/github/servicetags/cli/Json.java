package io.github.servicetags.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;

/** JSON output of the CLI: one shared factory; generators never close the caller's writer. */
final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private Json() {}

    static JsonGenerator generator(Writer out) throws IOException {
        return FACTORY.createGenerator(out);
    }
}
