package io.github.servicetags.internal;

import java.io.IOException;
import java.io.Writer;

/**
 * RFC 4180 CSV rows (CRLF line ends, quoted when needed) that are safe to open in a spreadsheet: a cell a
 * spreadsheet would evaluate ({@code = + - @}, their full-width forms, tab, CR or LF first, also after leading
 * spaces) gets a leading apostrophe. Used by the {@code csv} renderer and the {@code csv} export.
 */
public final class Csv {
    private Csv() {}

    /** Writes one row of cells, each through {@link #cell}, and a CRLF. */
    public static void row(Writer out, String... cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(cells[i]));
        }
        out.write("\r\n");
    }

    /** One cell: neutralised against formula evaluation, then quoted when it holds a comma, quote or line break. */
    public static String cell(String raw) {
        String v = raw == null ? "" : raw;
        int i = 0;
        while (i < v.length() && v.charAt(i) == ' ') {
            i++;
        }
        if (i < v.length() && "=+-@\t\r\n".indexOf(v.charAt(i)) >= 0
                || i < v.length() && "\uff1d\uff0b\uff0d\uff20".indexOf(v.charAt(i)) >= 0) {
            v = "'" + v;
        }
        boolean quote = false;
        for (int k = 0; k < v.length() && !quote; k++) {
            char c = v.charAt(k);
            quote = c == ',' || c == ';' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
