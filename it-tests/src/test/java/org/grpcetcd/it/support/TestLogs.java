package org.grpcetcd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.TestInfo;

/** Where one test (or one test class) writes its logs: {@code <it.logs>/<TestClass>/<testName>-<process>.<ext>}. */
public final class TestLogs {
    private final Path directory;
    private final String prefix;

    private TestLogs(Path directory, String prefix) {
        this.directory = directory;
        this.prefix = prefix;
    }

    /** Logs of one test method. */
    public static TestLogs of(TestInfo test) {
        Class<?> testClass = test.getTestClass().orElseThrow();
        String method = test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("class");
        return new TestLogs(ItEnvironment.logsRoot().resolve(testClass.getSimpleName()), method + "-");
    }

    /** Logs shared by a whole test class (its etcd, for example). */
    public static TestLogs of(Class<?> testClass) {
        return new TestLogs(ItEnvironment.logsRoot().resolve(testClass.getSimpleName()), "");
    }

    /** The file for {@code name} (e.g. {@code serverA.out}); its directory exists. */
    public Path file(String name) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory.resolve(prefix + name);
    }
}
