package org.grpcetcd.it.support.secure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.grpcetcd.it.support.AppProcess;
import org.grpcetcd.it.support.Poll;
import org.grpcetcd.it.support.TestLogs;
import org.junit.jupiter.api.TestInfo;

/** Reads the agent's log lines out of an app's stderr, and checks a test's logs for secrets. */
public final class AgentOutput {
    /** The one WARN that starts a failed registration episode. */
    public static final Pattern REGISTERING_FAILED = Pattern.compile(
            " WARN registering in etcd \\[[^\\]]*\\] failed: .*; retrying until it works$");
    /** The start-up summary. */
    public static final Pattern ACTIVE = Pattern.compile(" INFO grpc-etcd-agent \\S+ active: ");
    /** A retry of a failing registration, logged at debug. */
    public static final Pattern FAILED_AGAIN = Pattern.compile(" DEBUG registering in etcd \\[[^\\]]*\\] failed again: ");
    private static final Duration WARN_WITHIN = Duration.ofSeconds(30);

    private AgentOutput() {
    }

    /** Waits for the WARN that says registering failed, and returns it. */
    public static String awaitRegisteringFailed(AppProcess app) {
        return app.awaitErrLine(REGISTERING_FAILED, WARN_WITHIN);
    }

    /**
     * Waits until the agent gives a reason holding every fragment for why registering fails, and returns that
     * line: the episode's one WARN or, for an app at {@code log-level=debug}, a later {@code DEBUG ... failed
     * again} line. The WARN carries the first reason only; on a loaded machine the first attempt can end in a
     * connect timeout (a cold JVM's first TLS handshake), and the refusal that follows shows at debug only.
     */
    public static String awaitRegisteringFailure(AppProcess app, String... fragments) {
        String[] found = new String[1];
        Poll.until(() -> {
            for (String line : app.errLines()) {
                if ((REGISTERING_FAILED.matcher(line).find() || FAILED_AGAIN.matcher(line).find())
                        && java.util.Arrays.stream(fragments).allMatch(line::contains)) {
                    found[0] = line;
                    return true;
                }
            }
            return false;
        }, WARN_WITHIN, Duration.ofMillis(100), () -> app.name() + " logging why registering fails, with "
                + java.util.Arrays.toString(fragments) + "; its stderr: " + app.errLines());
        if (!REGISTERING_FAILED.matcher(found[0]).find()) {
            System.out.printf("%s: the WARN gave another reason (%s); the refusal showed at debug: %s%n", app.name(),
                    warnings(app), found[0]);
        }
        return found[0];
    }

    /** The agent's WARN lines so far. */
    public static List<String> warnings(AppProcess app) {
        return app.errLines().stream().filter(line -> line.contains(" WARN ")).collect(Collectors.toList());
    }

    /**
     * WARN lines in which etcd or the TLS set-up refused the agent (auth, permission, certificates, files), as
     * opposed to a slow connect on a loaded machine, which the agent retries and reports recovered.
     */
    public static List<String> refusals(AppProcess app) {
        return warnings(app).stream().filter(line -> line.contains("EtcdRequestException")
                || line.contains("TlsSetupException") || line.contains("SSLHandshakeException")
                || line.contains("permission denied") || line.contains("authenticating as user"))
                .collect(Collectors.toList());
    }

    /** The agent's start-up summary line. */
    public static String summary(AppProcess app) {
        return app.awaitErrLine(ACTIVE, Duration.ofSeconds(60));
    }

    /** Polls until the app has printed {@code count} stderr lines matching {@code pattern}; returns how many. */
    public static long awaitErrCount(AppProcess app, Pattern pattern, long count, Duration timeout) {
        Poll.until(() -> countErr(app, pattern) >= count, timeout, Duration.ofMillis(100),
                () -> app.name() + " printing " + count + " stderr lines matching /" + pattern + "/ (so far "
                        + countErr(app, pattern) + ")");
        return countErr(app, pattern);
    }

    public static long countErr(AppProcess app, Pattern pattern) {
        return app.errLines().stream().filter(line -> pattern.matcher(line).find()).count();
    }

    /**
     * Fails when any .out/.err file the test's apps and CLI runs wrote holds one of the passwords or an
     * etcd-token-shaped string. Returns how many files were read (a scan of nothing proves nothing).
     */
    public static int assertNoSecrets(TestInfo test, Collection<String> passwords) {
        Path probe = TestLogs.of(test).file("probe");
        String prefix = test.getTestMethod().orElseThrow().getName() + "-";
        List<Path> files = SecretScan.appLogs(probe.getParent(), prefix);
        List<String> found = SecretScan.findInLogs(probe.getParent(), prefix, passwords);
        assertThat(found).as("lines holding a password or an auth token in %s", files).isEmpty();
        return files.size();
    }
}
