package org.grpcetcd.it.support.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JVMs of the matrix: Java 17 (the project's default) and Java 25, found, not assumed: {@code JAVA17_HOME} /
 * {@code JAVA25_HOME} when set, else a JDK of that version under {@code /usr/lib/jvm}, else the JVM running the
 * tests if it is that version. Never skipped: a missing one fails, saying what to set.
 */
public enum Jdks {
    JAVA_17(17),
    JAVA_25(25);

    private static final Path JVM_FOLDER = Paths.get("/usr/lib/jvm");
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)[^\"]*\"");

    private final int feature;

    Jdks(int feature) {
        this.feature = feature;
    }

    public int feature() {
        return feature;
    }

    /** The name of the environment variable that points at this JDK, such as {@code JAVA25_HOME}. */
    public String homeVariable() {
        return "JAVA" + feature + "_HOME";
    }

    /** The {@code java} executable of this version. */
    public String java() {
        try {
            Optional<Path> home = find(feature, homeVariable(), System.getenv(homeVariable()), JVM_FOLDER,
                    Paths.get(System.getProperty("java.home")));
            if (home.isEmpty()) {
                return fail("no Java " + feature + " found: set " + homeVariable() + " to a JDK " + feature
                        + " (looked for one under " + JVM_FOLDER + " and at this JVM, Java "
                        + Runtime.version().feature() + ")");
            }
            return home.get().resolve("bin/java").toString();
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
    }

    /**
     * The home of a JDK of {@code feature}: {@code variableValue} when set (it must be one: a wrong value is an
     * {@link IllegalArgumentException} naming {@code variable}, never passed over), else the newest such JDK in
     * {@code jvmFolder}, else {@code thisJavaHome} if it is one. A JDK's version is read from its
     * {@code release} file.
     */
    static Optional<Path> find(int feature, String variable, String variableValue, Path jvmFolder,
            Path thisJavaHome) {
        if (variableValue != null && !variableValue.isBlank()) {
            Path home = Paths.get(variableValue);
            Optional<Integer> version = featureOf(home);
            if (version.isEmpty() || version.get() != feature) {
                throw new IllegalArgumentException(variable + "=" + variableValue + " is not a JDK " + feature
                        + " (" + (version.isEmpty() ? "no bin/java with a release file there" : "it is Java "
                        + version.get()) + "); point " + variable + " at a JDK " + feature + " or unset it");
            }
            return Optional.of(home);
        }
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(jvmFolder)) {
            try (Stream<Path> homes = Files.list(jvmFolder)) {
                homes.sorted(Comparator.comparing(Path::toString).reversed()).forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        candidates.add(thisJavaHome);
        return candidates.stream().filter(home -> featureOf(home).equals(Optional.of(feature))).findFirst();
    }

    /** The feature version in {@code home}'s release file, if {@code home} holds an executable bin/java. */
    static Optional<Integer> featureOf(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isReadable(release)) {
            return Optional.empty();
        }
        try {
            Matcher version = JAVA_VERSION.matcher(Files.readString(release));
            return version.find() ? Optional.of(Integer.parseInt(version.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "Java " + feature;
    }
}
