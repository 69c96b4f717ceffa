package io.github.servicetags;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.github.servicetags.internal.DataOpener;
import io.github.servicetags.internal.DataRules;
import io.github.servicetags.internal.Strings;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipException;

/**
 * Streaming reader of the service-tags JSON schema (download files of every cloud and the Discovery API response).
 * It never builds a tree of the document; every problem becomes an {@link InvalidServiceTagsException} with the
 * JSON location and the path of the value ({@code values[12].properties.addressPrefixes[3]}).
 */
final class ServiceTagsReader {
    /** What a file holds, before indexing. */
    record Parsed(String cloud, long changeNumber, List<ServiceTag> tags) {}

    private final DataOpener.Opened in;
    private final String source;
    private final LoadOptions options;
    private JsonParser p;
    private String path = "";
    private long totalPrefixes;

    private ServiceTagsReader(DataOpener.Opened in, String source, LoadOptions options) {
        this.in = in;
        this.source = source;
        this.options = options;
    }

    /**
     * Reads a whole JSON document (opened by {@link DataOpener}: plain or gzip, UTF-8).
     *
     * @param source the name used in error messages (a file path or URL)
     */
    static Parsed read(DataOpener.Opened in, String source, LoadOptions options) throws IOException {
        return new ServiceTagsReader(in, source, options).read();
    }

    private Parsed read() throws IOException {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(options.maxNestingDepth())
                        .maxStringLength(options.maxStringLength())
                        .maxNumberLength(40)
                        .maxNameLength(options.maxStringLength())
                        .build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        try (InputStream body = in.json();
                JsonParser parser = factory.createParser(body)) {
            this.p = parser;
            return readDocument();
        } catch (InvalidServiceTagsException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage(), e); // a rule of the data (DataRules), at the current location
        } catch (StreamConstraintsException e) {
            throw invalid(DataRules.limitExceeded(e.getOriginalMessage()), e);
        } catch (JsonParseException e) {
            throw invalid(describe(e), e);
        } catch (ZipException | EOFException e) {
            throw invalid(DataOpener.corruptGzip(e), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid("malformed JSON: " + e.getOriginalMessage(), e); // e.g. a number Jackson cannot coerce
        } catch (IOException e) {
            // a read error of the file itself ("Is a directory", EIO): say which file
            throw new IOException(source + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }

    private String describe(JsonParseException e) {
        String m = e.getOriginalMessage();
        if (m != null && (m.contains("Unexpected character ('<'") || m.contains("Unexpected character (\'<\'"))) {
            return "this is an HTML or XML page, not JSON (did a download return an error page?)";
        }
        if (m != null && m.contains("Duplicate field")) {
            return "duplicate key: " + m;
        }
        if (m != null && m.startsWith("Unexpected end-of-input")) {
            return "the file ends early (truncated?): "
                    + m.replace("[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ", "[");
        }
        return "malformed JSON: " + m;
    }

    private Parsed readDocument() throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw invalid("empty document; expected a service-tags JSON object");
        }
        if (t != JsonToken.START_OBJECT) {
            throw invalid("expected a JSON object at the top level, found "
                    + (t == JsonToken.START_ARRAY ? "[" : describe(t)) + "; is this a ServiceTags_*.json file?");
        }
        Long changeNumber = null;
        String cloud = null;
        List<ServiceTag> tags = null;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "changeNumber" -> changeNumber = readChangeNumber("changeNumber");
                case "cloud" -> {
                    path = "cloud";
                    cloud = DataRules.requireCloud(readString());
                }
                case "values" -> tags = readValues();
                default -> {
                    // nextLink (Discovery API) and future fields: skipped, within the same limits
                    skipValue();
                }
            }
            path = "";
        }
        if (changeNumber == null) {
            throw invalid("missing \"changeNumber\"; is this a ServiceTags_*.json file?");
        }
        if (cloud == null) {
            throw invalid("missing \"cloud\"; is this a ServiceTags_*.json file?");
        }
        if (tags == null) {
            throw invalid("missing \"values\" array; is this a ServiceTags_*.json file?");
        }
        JsonToken trailing;
        try {
            trailing = p.nextToken();
        } catch (JsonParseException e) {
            throw invalid("trailing content after the JSON document", e);
        }
        if (trailing != null) {
            throw invalid("trailing content after the JSON document");
        }
        return new Parsed(cloud, changeNumber, List.copyOf(tags));
    }

    private long readChangeNumber(String where) throws IOException {
        path = where;
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) {
                throw invalid("changeNumber is too large");
            }
            return DataRules.requireChangeNumber(p.getLongValue());
        }
        if (t == JsonToken.VALUE_STRING) { // Discovery API
            String s = p.getText();
            if (!s.matches("(0|[1-9][0-9]{0,18})")) {
                throw invalid("changeNumber " + Strings.quote(s) + " is not a decimal number");
            }
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw invalid("changeNumber is too large");
            }
        }
        throw invalid("changeNumber must be a number or a string of digits, found " + describe(t)
                + (t == JsonToken.VALUE_NUMBER_FLOAT ? " with a fraction or exponent: " + Strings.quote(p.getText()) : ""));
    }

    private List<ServiceTag> readValues() throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            path = "values";
            throw invalid("\"values\" must be an array, found " + describe(p.currentToken()));
        }
        List<ServiceTag> tags = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            int index = tags.size();
            path = "values[" + index + "]";
            DataRules.requireTagCount(tags.size() + 1L, options);
            if (t != JsonToken.START_OBJECT) {
                throw invalid("expected a tag object, found " + describe(t));
            }
            ServiceTag tag = readTag(index);
            Integer before = names.putIfAbsent(tag.name(), index);
            if (before != null) {
                path = "values[" + index + "].name";
                throw invalid("duplicate tag name " + Strings.quote(tag.name()) + " (also values[" + before + "])");
            }
            tags.add(tag);
        }
        return tags;
    }

    private ServiceTag readTag(int index) throws IOException {
        String name = null;
        String id = null;
        String region = "";
        int regionId = 0;
        String platform = "";
        String systemService = "";
        Set<String> features = Set.of();
        long changeNumber = 0;
        List<IpPrefix> prefixes = null;
        String base = "values[" + index + "]";
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "name" -> {
                    path = base + ".name";
                    name = DataRules.requireTagName(readString());
                    base = "values[" + index + "] '" + name + "'";
                }
                case "id" -> {
                    path = base + ".id";
                    id = DataRules.requireTagId(readString());
                }
                case "properties" -> {
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        path = base + ".properties";
                        throw invalid("\"properties\" must be an object, found " + describe(p.currentToken()));
                    }
                    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                        String pk = p.currentName();
                        path = base + ".properties." + pk;
                        p.nextToken();
                        switch (pk) {
                            case "changeNumber" -> changeNumber = readChangeNumber(path);
                            case "region" -> {
                                region = DataRules.requireRegion(readString());
                            }
                            case "regionId" -> regionId = readRegionId();
                            case "platform" -> platform = DataRules.requireText(readString());
                            case "systemService" -> systemService = DataRules.requireText(readString());
                            case "addressPrefixes" -> prefixes = readPrefixes(path);
                            case "networkFeatures" -> features = readFeatures();
                            default -> skipValue();
                        }
                    }
                }
                default -> skipValue();
            }
        }
        path = base;
        if (name == null) {
            throw invalid("tag without a \"name\"");
        }
        if (prefixes == null) {
            throw invalid("tag " + Strings.quote(name) + " has no \"properties.addressPrefixes\" array");
        }
        return ServiceTag.builder(name).id(id == null ? name : id).region(region).regionId(regionId)
                .platform(platform).systemService(systemService).networkFeatures(features).changeNumber(changeNumber)
                .prefixes(prefixes).build();
    }

    /** Skips an unknown value, reading every string so that the length limit applies to skipped data too. */
    private void skipValue() throws IOException {
        int depth = 0;
        JsonToken t = p.currentToken();
        while (true) {
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            } else if (t == JsonToken.VALUE_STRING) {
                p.getText();
            } else if (t == null) {
                throw invalid("the file ends early (truncated?)");
            }
            if (depth == 0) {
                return;
            }
            t = p.nextToken();
        }
    }

    private int readRegionId() throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                || p.getIntValue() < 0) {
            JsonToken t = p.currentToken();
            throw invalid("regionId must be a non-negative integer, found " + describe(t)
                    + (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                            ? " " + Strings.quote(p.getText()) : ""));
        }
        return p.getIntValue();
    }

    private Set<String> readFeatures() throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return Set.of();
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw invalid("networkFeatures must be an array or null, found " + describe(p.currentToken()));
        }
        Set<String> out = new LinkedHashSet<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(DataRules.requireFeature(readString()));
        }
        return out;
    }

    private List<IpPrefix> readPrefixes(String where) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw invalid("addressPrefixes must be an array, found " + describe(p.currentToken()));
        }
        List<IpPrefix> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            path = where + "[" + out.size() + "]";
            DataRules.requirePrefixCountOfTag(out.size() + 1L, options);
            DataRules.requireTotalPrefixCount(++totalPrefixes, options);
            if (t != JsonToken.VALUE_STRING) {
                throw invalid("a prefix must be a string, found " + describe(t));
            }
            String text = p.getText();
            IpPrefix prefix = IpPrefix.tryParse(text).orElse(null);
            if (prefix == null) {
                try {
                    IpPrefix.parse(text);
                } catch (IllegalArgumentException e) {
                    throw invalid(e.getMessage());
                }
            }
            out.add(DataRules.requirePrefix(prefix));
        }
        path = where;
        return out;
    }

    private String readString() throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_STRING) {
            throw invalid("expected a string, found " + describe(t));
        }
        return p.getText();
    }

    private static String describe(JsonToken t) {
        return Strings.describe(t);
    }

    private InvalidServiceTagsException invalid(String problem) {
        return invalid(problem, null);
    }

    private InvalidServiceTagsException invalid(String problem, Throwable cause) {
        String where = "";
        if (p != null) {
            JsonLocation l = p.currentTokenLocation();
            where = "line " + l.getLineNr() + ", column " + l.getColumnNr();
        }
        if (!path.isEmpty()) {
            where = where.isEmpty() ? path : where + " (" + path + ")";
        }
        return new InvalidServiceTagsException(source, where, problem, cause);
    }
}
