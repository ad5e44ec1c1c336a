package org.grpcetcd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;

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
        return ofMethod(test.getTestClass().orElseThrow(), test.getTestMethod());
    }

    /** Logs of one test method, as an extension sees it: the same place as {@link #of(TestInfo)}. */
    public static TestLogs of(ExtensionContext test) {
        return ofMethod(test.getRequiredTestClass(), test.getTestMethod());
    }

    private static TestLogs ofMethod(Class<?> testClass, Optional<Method> testMethod) {
        String method = testMethod.map(Method::getName).orElse("class");
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
