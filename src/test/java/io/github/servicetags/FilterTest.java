package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Filters by networkFeatures and systemService against the properties read separately from the real files. */
class FilterTest {
    static final List<String> FILES = RealData.FILES;

    /** name -> [systemService, features joined by ','] read by a minimal token walk of the file. */
    static Map<String, String[]> properties(String file) throws Exception {
        Map<String, String[]> out = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(RealData.file(file).toFile())) {
            String name = null;
            String svc = "";
            List<String> features = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.FIELD_NAME) {
                    continue;
                }
                switch (p.currentName()) {
                    case "name" -> {
                        if (p.getParsingContext().getParent().inArray()) {
                            if (name != null) {
                                out.put(name, new String[] {svc, String.join(",", features)});
                            }
                            p.nextToken();
                            name = p.getText();
                            svc = "";
                            features = new ArrayList<>();
                        }
                    }
                    case "systemService" -> {
                        p.nextToken();
                        svc = p.getText();
                    }
                    case "networkFeatures" -> {
                        if (p.nextToken() == JsonToken.START_ARRAY) {
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                features.add(p.getText());
                            }
                        }
                    }
                    default -> { }
                }
            }
            out.put(name, new String[] {svc, String.join(",", features)});
        }
        return out;
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void featureAndSystemServiceFiltersMatchTheFile(String file) throws Exception {
        ServiceTags st = RealData.load(file);
        Map<String, String[]> props = properties(file);
        for (String feature : List.of("API", "NSG", "UDR", "FW", "nsg")) {
            List<String> want = st.tags().stream().map(ServiceTag::name)
                    .filter(n -> List.of(props.get(n)[1].toUpperCase().split(",")).contains(feature.toUpperCase()))
                    .toList();
            assertEquals(want, st.tagsWithFeature(feature).stream().map(ServiceTag::name).toList(), feature);
            assertFalse(want.isEmpty(), feature);
        }
        assertTrue(st.tagsWithFeature("NoSuchFeature").isEmpty());
        for (String svc : List.of("AzureSQL", "AzureStorage", "azuread", "AzureKeyVault")) {
            List<String> want = st.tags().stream().map(ServiceTag::name)
                    .filter(n -> props.get(n)[0].equalsIgnoreCase(svc)).toList();
            assertEquals(want, st.tagsOfSystemService(svc).stream().map(ServiceTag::name).toList(), svc);
            assertFalse(want.isEmpty(), svc);
        }
    }
}
