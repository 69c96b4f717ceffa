package io.github.servicetags;

import io.github.servicetags.internal.Suggest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Regions of one file, joined by {@code regionId}. Each region collects the {@code region} property and every tag
 * suffix used with its id; its ARM-style name is the most common lower-cased suffix ({@code GermanyWestCentral}
 * gives {@code germanywestcentral}), its display name the suffix split at capitals ({@code Germany West Central}).
 * A spelling is matched after lower-casing and removing spaces, hyphens and underscores.
 */
final class Regions {
    private final List<Region> regions;
    private final Map<String, Region> bySpelling;
    private final Map<Integer, List<ServiceTag>> tagsByRegion;
    private final Map<String, Map<Integer, ServiceTag>> regionalByService;

    Regions(List<ServiceTag> tags) {
        Map<Integer, Map<String, Integer>> suffixCounts = new TreeMap<>();
        Map<Integer, Map<String, Integer>> internalCounts = new TreeMap<>();
        Map<Integer, Map<String, Integer>> camelCounts = new HashMap<>();
        Map<Integer, List<ServiceTag>> byRegion = new TreeMap<>();
        Map<String, Map<Integer, ServiceTag>> byService = new HashMap<>();
        for (ServiceTag t : tags) {
            if (!t.isRegional()) {
                continue;
            }
            int id = t.regionId();
            byRegion.computeIfAbsent(id, k -> new ArrayList<>()).add(t);
            // Sql.EastUS2 and Sql.EastUS2Stage share a regionId: the plain one wins (shorter suffix), any order
            byService.computeIfAbsent(t.service().toLowerCase(Locale.ROOT), k -> new HashMap<>())
                    .merge(id, t, (a, b) -> b.name().length() < a.name().length() ? b : a);
            if (!t.region().isEmpty()) {
                internalCounts.computeIfAbsent(id, k -> new HashMap<>()).merge(t.region(), 1, Integer::sum);
            }
            int dot = t.name().indexOf('.');
            if (dot > 0 && dot < t.name().length() - 1) {
                String suffix = t.name().substring(dot + 1);
                suffixCounts.computeIfAbsent(id, k -> new HashMap<>()).merge(normalize(suffix), 1, Integer::sum);
                if (!suffix.equals(suffix.toLowerCase(Locale.ROOT))) {
                    camelCounts.computeIfAbsent(id, k -> new HashMap<>()).merge(suffix, 1, Integer::sum);
                }
            }
        }
        List<Region> list = new ArrayList<>();
        Map<String, Region> spell = new HashMap<>();
        for (Map.Entry<Integer, List<ServiceTag>> e : byRegion.entrySet()) {
            int id = e.getKey();
            String internal = mostCommon(internalCounts.get(id), "");
            // the ARM name is the CamelCase suffix of service tags (Sql.GermanyWestCentral), lower-cased; the
            // lower-case suffixes (AzureCloud.germanywc) repeat the internal name
            String camel = mostCommon(camelCounts.get(id), "");
            String name = !camel.isEmpty() ? normalize(camel)
                    : mostCommon(suffixCounts.get(id), internal.isEmpty() ? "region" + id : internal);
            String display = !camel.isEmpty() ? splitCamel(camel) : name;
            Set<String> spellings = new LinkedHashSet<>();
            spellings.add(name);
            spellings.add(display);
            if (!internal.isEmpty()) {
                spellings.add(internal);
            }
            spellings.addAll(camelCounts.getOrDefault(id, Map.of()).keySet());
            if (suffixCounts.containsKey(id)) {
                spellings.addAll(suffixCounts.get(id).keySet());
            }
            for (String s : internalCounts.getOrDefault(id, Map.of()).keySet()) {
                spellings.add(s);
            }
            Region r = new Region(id, name, internal.isEmpty() ? name : internal, display, spellings);
            list.add(r);
        }
        // the primary names win over secondary spellings when two regions share one
        for (Region r : list) {
            spell.put(normalize(r.name()), r);
        }
        for (Region r : list) {
            for (String s : r.spellings()) {
                spell.putIfAbsent(normalize(s), r);
            }
        }
        list.sort(Comparator.comparing(Region::name));
        this.regions = List.copyOf(list);
        this.bySpelling = Map.copyOf(spell);
        Map<Integer, List<ServiceTag>> frozen = new LinkedHashMap<>();
        byRegion.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        this.tagsByRegion = Map.copyOf(frozen);
        Map<String, Map<Integer, ServiceTag>> svc = new HashMap<>();
        byService.forEach((k, v) -> svc.put(k, Map.copyOf(v)));
        this.regionalByService = Map.copyOf(svc);
    }

    static String normalize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '-' && c != '_') {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }

    private static String mostCommon(Map<String, Integer> counts, String fallback) {
        if (counts == null || counts.isEmpty()) {
            return fallback;
        }
        return counts.entrySet().stream()
                .max(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparing(en -> en.getKey().length())
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .orElseThrow().getKey();
    }

    /** "GermanyWestCentral" -> "Germany West Central", "EastUS2" -> "East US 2". */
    static String splitCamel(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (i > 0) {
                char prev = s.charAt(i - 1);
                boolean next = i + 1 < s.length() && Character.isLowerCase(s.charAt(i + 1));
                boolean boundary = (Character.isUpperCase(c) && (Character.isLowerCase(prev) || next))
                        || (Character.isDigit(c) && !Character.isDigit(prev))
                        || (Character.isLetter(c) && Character.isDigit(prev));
                if (boundary) {
                    sb.append(' ');
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    List<Region> all() {
        return regions;
    }

    Region resolve(String spelling) {
        Region r = spelling == null ? null : bySpelling.get(normalize(spelling));
        if (r == null) {
            Set<String> names = new TreeSet<>();
            for (Region x : regions) {
                names.add(x.name());
            }
            List<String> close = Suggest.closest(normalize(String.valueOf(spelling)), names, 5);
            throw new UnknownNameException("region", String.valueOf(spelling), close);
        }
        return r;
    }

    List<ServiceTag> tagsIn(Region region) {
        return tagsByRegion.getOrDefault(region.id(), List.of());
    }

    ServiceTag regional(String service, Region region) {
        Map<Integer, ServiceTag> m = regionalByService.get(service.toLowerCase(Locale.ROOT));
        return m == null ? null : m.get(region.id());
    }

    boolean hasRegionalTags(String service) {
        return regionalByService.containsKey(service.toLowerCase(Locale.ROOT));
    }
}
