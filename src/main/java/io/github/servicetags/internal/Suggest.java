package io.github.servicetags.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "Did you mean" suggestions: the closest names by edit distance, case-insensitively. */
public final class Suggest {
    private Suggest() {}

    /** Returns up to {@code max} names close to {@code input}, best first; empty when nothing is close. */
    public static List<String> closest(String input, Collection<String> names, int max) {
        String in = input == null ? "" : input.toLowerCase(Locale.ROOT);
        if (in.length() > 200) {
            return List.of(); // nothing sensible is that long; and keep the distance bounded
        }
        record Scored(String name, int score) {}
        List<Scored> scored = new ArrayList<>();
        int limit = Math.max(1, in.length() / 3);
        for (String n : names) {
            String ln = n.toLowerCase(Locale.ROOT);
            int d;
            if (ln.equals(in)) {
                d = 0;
            } else if (in.length() >= 3 && (ln.contains(in) || in.contains(ln))) {
                d = 1; // "veeam" -> veeam-backup-azure, "sql" -> Sql.WestEurope
            } else {
                d = distance(in, ln, limit + 1);
            }
            if (d <= limit) {
                scored.add(new Scored(n, d));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::score).thenComparing(Scored::name));
        List<String> out = new ArrayList<>();
        for (Scored s : scored) {
            if (out.size() == max) {
                break;
            }
            out.add(s.name);
        }
        return out;
    }

    /**
     * Edit distance with adjacent transpositions (optimal string alignment: "NGS" is one edit from "NSG"), giving up
     * (returning {@code cap}) once it exceeds {@code cap}.
     */
    static int distance(String a, String b, int cap) {
        if (Math.abs(a.length() - b.length()) >= cap) {
            return cap;
        }
        int[] prev2 = new int[b.length() + 1];
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, prev2[j - 2] + 1);
                }
                cur[j] = d;
                rowMin = Math.min(rowMin, d);
            }
            if (rowMin >= cap) {
                return cap;
            }
            int[] t = prev2;
            prev2 = prev;
            prev = cur;
            cur = t;
        }
        return Math.min(prev[b.length()], cap);
    }
}
