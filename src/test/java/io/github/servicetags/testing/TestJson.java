package io.github.servicetags.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small JSON reader for assertions (jackson-core only): objects as ordered maps, duplicate keys refused. */
public final class TestJson {
    private TestJson() {}

    /** The value of a JSON text: Map, List, String, Number, Boolean or null. */
    public static Object parse(String json) {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            Object v = value(p);
            if (p.nextToken() != null) {
                throw new AssertionError("trailing content in " + json);
            }
            return v;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    if (m.put(k, value(p)) != null) {
                        throw new AssertionError("duplicate key " + k);
                    }
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getNumberValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new AssertionError("unexpected " + t);
        }
    }
}
