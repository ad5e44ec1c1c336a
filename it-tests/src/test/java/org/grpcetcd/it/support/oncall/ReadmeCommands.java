package org.grpcetcd.it.support.oncall;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.ItEnvironment;

/**
 * The CLI command lines that README.md shows in its fenced code blocks ({@code java -jar grpc-etcd-agent.jar ...}),
 * turned into argument lists that can run against a test's etcd.
 */
public final class ReadmeCommands {
    private static final Pattern CLI_LINE = Pattern.compile("^java\\s+-jar\\s+\\S*grpc-etcd-agent\\.jar(?:\\s+(.*))?$");
    private static final Pattern COMMENT = Pattern.compile("\\s#.*$");
    private static final Pattern PLACEHOLDER = Pattern.compile("^[A-Z][A-Z_]+$");
    /** The service name README's examples use; it stands for the test's own service. */
    private static final String EXAMPLE_SERVICE = "orders";

    private ReadmeCommands() {
    }

    /** README.md at the root of the project (the agent jar is {@code <root>/agent/target/grpc-etcd-agent.jar}). */
    public static Path readme() {
        Path root = ItEnvironment.agentJar().getParent().getParent().getParent();
        Path readme = root.resolve("README.md");
        if (!Files.isRegularFile(readme)) {
            fail("README.md not found at " + readme + " (derived from the agent jar " + ItEnvironment.agentJar() + ")");
        }
        return readme;
    }

    /** Each CLI line in a fenced code block, as written (one per distinct line, in order). */
    public static List<String> cliLines(Path readme) {
        List<String> lines;
        try {
            lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> found = new LinkedHashSet<>();
        boolean inFence = false;
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("```")) {
                inFence = !inFence;
                continue;
            }
            if (inFence && CLI_LINE.matcher(trimmed).matches()) {
                found.add(trimmed);
            }
        }
        return new ArrayList<>(found);
    }

    /**
     * The argument lists one README line stands for, against {@code endpoint} and {@code service}: the trailing
     * {@code # comment} dropped, {@code SERVICE} and README's example service {@code orders} replaced by
     * {@code service}, {@code PID} by the pid {@code pid} gives (asked only for a line that has it),
     * {@code --endpoints} set to {@code endpoint}; a line with {@code [optional]} parts gives two runs, one with
     * every optional part and one with none.
     */
    public static List<List<String>> runsOf(String line, String endpoint, String service, Supplier<String> pid) {
        Matcher cli = CLI_LINE.matcher(COMMENT.matcher(line).replaceFirst("").trim());
        if (!cli.matches()) {
            return fail("not a CLI line: " + line);
        }
        String rest = cli.group(1) == null ? "" : cli.group(1).trim();
        if (rest.matches(".*[\"'`$|<>;&\\\\].*")) {
            return fail("README's CLI line '" + line + "' uses shell syntax this test does not interpret");
        }
        List<String> tokens = rest.isEmpty() ? List.of() : Arrays.asList(rest.split("\\s+"));
        List<List<String>> runs = new ArrayList<>();
        runs.add(substitute(line, tokens, true, endpoint, service, pid));
        if (tokens.stream().anyMatch(ReadmeCommands::optional)) {
            runs.add(substitute(line, tokens, false, endpoint, service, pid));
        }
        return runs;
    }

    private static boolean optional(String token) {
        return token.startsWith("[") && token.endsWith("]");
    }

    private static List<String> substitute(String line, List<String> tokens, boolean withOptional, String endpoint,
            String service, Supplier<String> pid) {
        List<String> args = new ArrayList<>();
        boolean endpointsGiven = false;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (optional(token)) {
                if (!withOptional) {
                    continue;
                }
                token = token.substring(1, token.length() - 1);
            }
            if (token.equals("--endpoints") || token.startsWith("--endpoints=")) {
                endpointsGiven = true;
                args.add("--endpoints");
                args.add(endpoint);
                if (token.equals("--endpoints")) {
                    i++; // README's value
                }
                continue;
            }
            if (token.equals("SERVICE") || token.equals(EXAMPLE_SERVICE)) {
                args.add(service);
            } else if (token.equals("PID")) {
                args.add(pid.get());
            } else if (PLACEHOLDER.matcher(token).matches()) {
                return fail("README's CLI line '" + line + "' has the placeholder " + token
                        + " that this test cannot fill in");
            } else {
                args.add(token);
            }
        }
        if (!endpointsGiven) {
            args.add("--endpoints");
            args.add(endpoint);
        }
        return args;
    }
}
