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
        String in = input.toLowerCase(Locale.ROOT);
        record Scored(String name, int score) {}
        List<Scored> scored = new ArrayList<>();
        int limit = Math.max(2, in.length() / 3);
        for (String n : names) {
            String ln = n.toLowerCase(Locale.ROOT);
            int d;
            if (ln.equals(in)) {
                d = 0;
            } else if (in.length() >= 3 && (ln.startsWith(in) || ln.contains(in))) {
                d = 1 + Math.min(limit, (ln.length() - in.length()) / 4);
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

    /** Levenshtein distance, giving up (returning {@code cap}) once it exceeds {@code cap}. */
    static int distance(String a, String b, int cap) {
        if (Math.abs(a.length() - b.length()) >= cap) {
            return cap;
        }
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
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin >= cap) {
                return cap;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return Math.min(prev[b.length()], cap);
    }
}
