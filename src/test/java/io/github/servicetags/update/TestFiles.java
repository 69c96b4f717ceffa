package io.github.servicetags.update;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small valid service-tag files, written by hand so every test sees exactly what it needs. */
final class TestFiles {
    private TestFiles() {
    }

    /** One tag "X" with 10.0.0.0/8 plus "Storage" whose prefixes depend on the change number. */
    static String file(long changeNumber) {
        return file(changeNumber, "Public");
    }

    static String file(long changeNumber, String cloud) {
        Map<String, List<String>> tags = new LinkedHashMap<>();
        tags.put("X", List.of("10.0.0.0/8"));
        tags.put("Storage", List.of("20." + (changeNumber % 200) + ".0.0/16", "2603:1000::/40"));
        return file(changeNumber, cloud, tags);
    }

    static String file(long changeNumber, String cloud, Map<String, List<String>> tags) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"changeNumber\": ").append(changeNumber).append(",\n  \"cloud\": \"").append(cloud)
                .append("\",\n  \"values\": [");
        boolean first = true;
        for (Map.Entry<String, List<String>> e : tags.entrySet()) {
            sb.append(first ? "\n" : ",\n");
            first = false;
            sb.append("    {\"name\": \"").append(e.getKey()).append("\", \"id\": \"").append(e.getKey())
                    .append("\", \"properties\": {\"changeNumber\": 1, \"region\": \"\", \"regionId\": 0,")
                    .append(" \"platform\": \"Azure\", \"systemService\": \"\", \"addressPrefixes\": [");
            for (int i = 0; i < e.getValue().size(); i++) {
                sb.append(i == 0 ? "" : ", ").append('"').append(e.getValue().get(i)).append('"');
            }
            sb.append("], \"networkFeatures\": [\"API\"]}}");
        }
        sb.append("\n  ]\n}\n");
        return sb.toString();
    }

    static byte[] bytes(long changeNumber) {
        return file(changeNumber).getBytes(StandardCharsets.UTF_8);
    }
}
