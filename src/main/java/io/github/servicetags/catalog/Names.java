package io.github.servicetags.catalog;

import io.github.servicetags.internal.Suggest;
import java.util.Collection;
import java.util.List;

/** "Did you mean" for product and role names: the same closest-name rule as tags and regions. */
final class Names {
    private Names() {}

    static List<String> closest(String input, Collection<String> names, int max) {
        return Suggest.closest(input, names, max);
    }
}
