package org.grpcetcd.it.support.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.grpcetcd.it.support.Binaries;

/**
 * The real {@code etcdctl} (API v3) run against one or more endpoints, reporting failure instead of failing the
 * test: what the fault tests need while members of etcd come and go. {@link org.grpcetcd.it.support.EtcdCtl} is
 * used wherever a failure should fail the test.
 */
public final class Etcdctl {
    private Etcdctl() {
    }

    /** What one etcdctl run printed and how it exited. */
    public static final class Result {
        private final int exitCode;
        private final String out;
        private final String err;

        Result(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }

        public boolean ok() {
            return exitCode == 0;
        }

        public int exitCode() {
            return exitCode;
        }

        public String out() {
            return out;
        }

        public String err() {
            return err;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ": " + out.trim() + (err.isBlank() ? "" : " / " + err.trim());
        }
    }

    /** Runs etcdctl with {@code --endpoints=endpoints} (comma-separated), timeouts of 1 s to dial, 2 s per command. */
    public static Result run(String endpoints, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Binaries.etcdctl().toString());
        command.add("--endpoints=" + endpoints);
        command.add("--dial-timeout=1s");
        command.add("--command-timeout=2s");
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("ETCDCTL"));
        builder.environment().put("ETCDCTL_API", "3");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process, true));
            byte[] stdout = readAll(process, false);
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, new String(stdout, StandardCharsets.UTF_8), "did not finish within 15 s");
            }
            return new Result(process.exitValue(), new String(stdout, StandardCharsets.UTF_8),
                    new String(stderr.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(Process process, boolean error) {
        try {
            return (error ? process.getErrorStream() : process.getInputStream()).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
