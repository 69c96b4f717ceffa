package io.github.servicetags.cli;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.internal.Prefixes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code prefixes}: the CIDRs of one or more tags. */
@Command(name = "prefixes", mixinStandardHelpOptions = true, description = "Print the prefixes of the tags, one canonical CIDR per line, IPv4 first, "
        + "sorted, without duplicates.")
final class PrefixesCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    static final class FamilyChoice {
        @Option(names = "--ipv4", description = "IPv4 prefixes only.")
        boolean ipv4;

        @Option(names = "--ipv6", description = "IPv6 prefixes only.")
        boolean ipv6;
    }

    @ArgGroup(exclusive = true)
    FamilyChoice family;

    @Option(names = "--aggregate", description = "Merge adjacent and overlapping prefixes.")
    boolean aggregate;

    @Parameters(paramLabel = "TAG", arity = "1..*", description = "Tag names, e.g. Sql.WestEurope.")
    List<String> tags;

    @Override
    public Integer call() throws IOException {
        ServiceTags st = main.serviceTags();
        List<IpPrefix> all = new ArrayList<>();
        for (String t : tags) {
            all.addAll(st.prefixes(t)); // unknown tag: UnknownNameException, exit 2
        }
        List<IpPrefix> out = aggregate ? Prefixes.aggregate(all) : Prefixes.sortedUnique(all);
        for (IpPrefix p : out) {
            if (family != null && (family.ipv4 && p.family() != IpFamily.IPV4
                    || family.ipv6 && p.family() != IpFamily.IPV6)) {
                continue;
            }
            main.out.println(p);
        }
        return Main.OK;
    }
}
