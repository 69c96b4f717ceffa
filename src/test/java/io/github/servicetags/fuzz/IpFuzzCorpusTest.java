package io.github.servicetags.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jazzer replays {@code <Class>Inputs/<method>/} next to the test class and silently replays nothing when a class or
 * method is renamed. This keeps the committed corpus of the IP fuzz tests attached to their methods.
 */
class IpFuzzCorpusTest {

    @ParameterizedTest
    @ValueSource(classes = {IpTextFuzzTest.class, IpPrefixFuzzTest.class})
    void everyFuzzMethodHasItsCorpusAndEveryCorpusItsMethod(Class<?> test) throws IOException, URISyntaxException {
        URL url = test.getResource(test.getSimpleName() + "Inputs");
        assertNotNull(url, () -> test.getSimpleName() + "Inputs is missing from the test resources");
        Path inputs = Path.of(url.toURI());
        Set<String> methods = Arrays.stream(test.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(FuzzTest.class))
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> folders;
        try (Stream<Path> s = Files.list(inputs)) {
            folders = s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(methods, folders, "fuzz methods and corpus folders of " + test.getSimpleName());
        for (String m : methods) {
            try (Stream<Path> s = Files.list(inputs.resolve(m))) {
                long n = s.filter(Files::isRegularFile).count();
                assertTrue(n >= 10, () -> test.getSimpleName() + "Inputs/" + m + " holds only " + n + " inputs");
            }
        }
    }
}
