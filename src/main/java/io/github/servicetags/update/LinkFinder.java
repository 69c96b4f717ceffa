package io.github.servicetags.update;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the link to the current {@code ServiceTags_<Cloud>_YYYYMMDD.json} in Microsoft's download page. The page is
 * HTML with the link in an anchor and again inside embedded JSON (where {@code /} may be escaped as {@code \/} or
 * {@code \u002f}); we undo the escapes, match every absolute or protocol-relative link ending in such a file name,
 * prefer the ones naming the requested cloud, and take the newest date.
 */
final class LinkFinder {
    private static final Pattern LINK = Pattern.compile(
            "((?:https?:)?//[A-Za-z0-9.\\-]+(?::\\d{1,5})?/[^\\s\"'<>()\\\\]*?ServiceTags_([A-Za-z]+)_(\\d{8})\\.json)",
            Pattern.CASE_INSENSITIVE);

    private LinkFinder() {
    }

    static Optional<URI> find(String page, URI pageUri, Cloud cloud) {
        String text = unescape(page);
        Matcher m = LINK.matcher(text);
        List<Candidate> all = new ArrayList<>();
        while (m.find()) {
            try {
                URI uri = pageUri.resolve(URI.create(m.group(1)));
                all.add(new Candidate(uri, m.group(2), m.group(3)));
            } catch (IllegalArgumentException e) {
                // not a usable URI: ignore this match
            }
        }
        List<Candidate> forCloud = new ArrayList<>();
        for (Candidate c : all) {
            if (cloud == null || Cloud.tryParse(c.infix).orElse(null) == cloud) {
                forCloud.add(c);
            }
        }
        List<Candidate> pool = forCloud.isEmpty() ? all : forCloud;
        Candidate best = null;
        for (Candidate c : pool) {
            if (best == null || c.date.compareTo(best.date) > 0) {
                best = c;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.uri);
    }

    static String unescape(String s) {
        return s.replace("\\/", "/").replace("\\u002f", "/").replace("\\u002F", "/")
                .replace("&#x2F;", "/").replace("&#x2f;", "/").replace("&#47;", "/").replace("&amp;", "&");
    }

    private static final class Candidate {
        final URI uri;
        final String infix;
        final String date;

        Candidate(URI uri, String infix, String date) {
            this.uri = uri;
            this.infix = infix;
            this.date = date;
        }
    }
}
