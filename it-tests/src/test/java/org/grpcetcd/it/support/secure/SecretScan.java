package org.grpcetcd.it.support.secure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Looks through what apps and the CLI printed for secrets: the passwords given, and anything shaped like an etcd
 * simple auth token ({@code <16 letters>.<index>}, e.g. {@code BsCHvDsGpMXzmKRy.16}), whichever token the
 * agent was handed.
 */
public final class SecretScan {
    /** etcd's simple token: 16 random letters, a dot, the raft index of its assignment. */
    public static final Pattern SIMPLE_TOKEN = Pattern.compile("(?<![A-Za-z0-9])[A-Za-z]{16}\\.[0-9]+(?![0-9])");

    private SecretScan() {
    }

    /** Every offending line, as {@code <file>: <line>}, in the .out/.err files of {@code dir} starting with {@code prefix}. */
    public static List<String> findInLogs(Path dir, String prefix, Collection<String> passwords) {
        List<String> found = new ArrayList<>();
        for (Path file : appLogs(dir, prefix)) {
            found.addAll(find(file.getFileName().toString(), readLines(file), passwords));
        }
        return found;
    }

    /** The app logs that a scan of {@code dir}/{@code prefix} reads. */
    public static List<Path> appLogs(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> {
                String name = file.getFileName().toString();
                return name.startsWith(prefix) && (name.endsWith(".out") || name.endsWith(".err"));
            }).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of {@code lines} holding a password or a token-shaped string. */
    public static List<String> find(String where, List<String> lines, Collection<String> passwords) {
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            boolean secret = SIMPLE_TOKEN.matcher(line).find();
            for (String password : passwords) {
                secret |= line.contains(password);
            }
            if (secret) {
                found.add(where + ": " + line);
            }
        }
        return found;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
