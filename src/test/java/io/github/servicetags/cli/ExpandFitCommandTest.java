package io.github.servicetags.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.servicetags.RealData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expand --aggregate --fit} on the real file: stable output, exit 1 with the numbers when a limit fails. */
class ExpandFitCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 4];
        all[0] = "--cache";
        all[1] = tmp.toString();
        all[2] = "--data";
        all[3] = RealData.file("ServiceTags_Public_376.json").toString();
        System.arraycopy(args, 0, all, 4, args.length);
        int code = Main.run(all, new PrintWriter(out), new PrintWriter(err), Map.of());
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void fitNsgIsStableAcrossRunsAndNeverMixesFamilies() {
        Result a = run("expand", "--product", "entra-connect", "--region", "westeurope", "--format", "nsg",
                "--aggregate", "--fit", "nsg", "--fit-max-entries", "100");
        assertEquals(0, a.code, a.err);
        Result b = run("expand", "--product", "entra-connect", "--region", "westeurope", "--format", "nsg",
                "--aggregate", "--fit", "nsg", "--fit-max-entries", "100");
        assertEquals(a.out, b.out, "a re-run must change nothing");
        // every rule's address list is one family: no rule holds both a ':' and a '.' prefix
        for (String rule : a.out.split("\\{\\s*\"name\"")) {
            int start = rule.indexOf("\"destinationAddressPrefixes\"");
            if (start < 0) {
                continue;
            }
            String list = rule.substring(start, rule.indexOf(']', start));
            assertFalse(list.contains(":") && list.contains("."), list);
        }
    }

    @Test
    void aLimitThatCannotBeMetIsExitOneWithTheNumbers() {
        Result r = run("expand", "--product", "entra-connect", "--region", "westeurope", "--format", "edl",
                "--fit", "edl", "--fit-max-entries", "3");
        assertEquals(1, r.code, r.err);
        assertEquals("", r.out);
        assertTrue(r.err.contains("3"), r.err);
        Result unknown = run("expand", "--product", "entra-connect", "--fit", "nsgg");
        assertEquals(2, unknown.code);
        assertTrue(unknown.err.contains("nsg"), unknown.err);
    }
}
