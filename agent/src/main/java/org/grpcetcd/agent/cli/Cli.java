package org.grpcetcd.agent.cli;

import java.io.PrintStream;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.grpcetcd.agent.AgentVersion;
import org.grpcetcd.agent.config.Settings;
import org.grpcetcd.agent.config.SettingsLoader;
import org.grpcetcd.agent.etcd.EtcdClient;
import org.grpcetcd.agent.etcd.EtcdFailure;
import org.grpcetcd.agent.etcd.EtcdRequestException;
import org.grpcetcd.agent.etcd.EtcdUnavailableException;
import org.grpcetcd.agent.etcd.TlsSetupException;
import org.grpcetcd.agent.thread.AgentThreads;

/**
 * {@code java -jar grpc-etcd-agent.jar <command>}: the on-call view of what the agent put in etcd, and the way to
 * attach the agent to a running JVM.
 */
public final class Cli {
    /** The command ran and found nothing wrong. */
    static final int OK = 0;
    /** doctor found a problem, or etcd could not be read. */
    static final int PROBLEM = 1;
    /** The command line or a setting is wrong: nothing was asked of etcd. */
    static final int USAGE = 2;

    static final String USAGE_TEXT = String.join(System.lineSeparator(),
            "usage: java -jar grpc-etcd-agent.jar <command> [--<setting> <value>]...",
            "commands:",
            "  list [SERVICE] [--json]   registered instances (all, or one service's) with their lease's time left",
            "  watch SERVICE             the instances now, then one line per change, until Ctrl-C",
            "  doctor                    checks settings, etcd, permissions and leases; exit 1 on a problem",
            "  attach PID                loads the agent into the running JVM PID and prints what it registered;",
            "                            its options become that JVM's agent arguments (its own grpc.etcd.*",
            "                            system properties still win); exit 3 if the agent was already there",
            "  version, --version        the agent's version",
            "  help, --help, -h          this text",
            "settings come from grpc.etcd.* system properties, GRPC_ETCD_* environment variables and options",
            "such as --endpoints http://10.0.0.5:2379 --service orders --key-format grpcEtcd (README.md lists them all);",
            "a bad one is refused, never replaced by its default",
            "exit codes: 0 ok, 1 a problem found or etcd failed, 2 a wrong command line or setting",
            "(attach: 1 it could not attach, 3 the agent was already in that JVM)");

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CliArguments parsed;
        try {
            parsed = CliArguments.parse(args);
        } catch (CliArguments.UsageException e) {
            err.println(e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        if (parsed.command.equals("help")) {
            out.println(USAGE_TEXT);
            return OK;
        }
        if (parsed.command.equals("version")) {
            out.println("grpc-etcd-agent " + AgentVersion.current());
            return OK;
        }
        if (parsed.command.equals("attach")) {
            return attach(parsed, out, err);
        }
        SettingsLoader loader = SettingsLoader.fromCli(parsed.options);
        Settings settings = loader.load();
        if (!loader.refusals().isEmpty()) {
            loader.refusals().forEach(err::println); // never a default in place of what was asked for
            return USAGE;
        }
        ExecutorService executor = new AgentThreads().etcd();
        try {
            switch (parsed.command) {
                case "list":
                    try (EtcdClient etcd = etcd(settings, executor)) {
                        return ListCommand.run(etcd, settings.keyLayout(), parsed.positional, parsed.json, out);
                    }
                case "watch":
                    try (EtcdClient etcd = etcd(settings, executor)) {
                        return WatchCommand.run(etcd, settings.keyLayout().prefix(parsed.positional.get(0)), out);
                    }
                default:
                    return DoctorCommand.run(settings, executor, out);
            }
        } catch (EtcdUnavailableException | EtcdRequestException | TlsSetupException e) {
            err.println("etcd: " + EtcdFailure.describe(e) + " (endpoints " + endpoints(settings) + ")");
            return PROBLEM;
        } catch (RuntimeException e) {
            // an answer this client did not expect (a proxy, a bug): one line for the person at the terminal
            err.println("etcd: unexpected answer from " + endpoints(settings) + ": " + EtcdFailure.describe(e));
            return PROBLEM;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } finally {
            executor.shutdownNow();
        }
    }

    /** Checks the options alone, here: the settings are read in the other JVM, from its own sources too. */
    private static int attach(CliArguments parsed, PrintStream out, PrintStream err) {
        SettingsLoader loader = SettingsLoader.fromOptionsOnly(parsed.options);
        loader.load();
        if (!loader.refusals().isEmpty()) {
            loader.refusals().forEach(err::println);
            return USAGE;
        }
        try {
            return AttachCommand.run(Long.parseLong(parsed.positional.get(0)), parsed.options, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private static String endpoints(Settings settings) {
        return settings.endpoints().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static EtcdClient etcd(Settings settings, ExecutorService executor) {
        return new EtcdClient(settings.etcdAccess(), executor);
    }
}
