package org.grpcetcd.agent.cli;

import java.io.PrintStream;
import java.util.concurrent.ExecutorService;
import org.grpcetcd.agent.config.Settings;
import org.grpcetcd.agent.config.SettingsLoader;
import org.grpcetcd.agent.etcd.EtcdClient;
import org.grpcetcd.agent.etcd.EtcdRequestException;
import org.grpcetcd.agent.etcd.EtcdUnavailableException;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.thread.AgentThreads;

/** {@code java -jar grpc-etcd-agent.jar <command>}: the on-call view of what the agent put in etcd. */
public final class Cli {
    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar grpc-etcd-agent.jar <command> [--<setting> <value>]... ",
            "commands:",
            "  list [SERVICE] [--json]   registered instances (all, or one service's) with their lease's time left",
            "  watch SERVICE             the instances now, then one line per change, until Ctrl-C",
            "  doctor                    checks settings, etcd, permissions and leases; exit 1 on a problem",
            "  version                   the agent's version",
            "settings come from grpc.etcd.* system properties, GRPC_ETCD_* environment variables and options",
            "such as --endpoints http://10.0.0.5:2379 --service orders (README.md lists them all)");

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
            err.println(USAGE);
            return 2;
        }
        SettingsLoader loader = SettingsLoader.fromCli(parsed.options);
        Settings settings = loader.load();
        if (!parsed.command.equals("version") && !loader.refusals().isEmpty()) {
            loader.refusals().forEach(err::println); // never a default in place of what was asked for
            return 2;
        }
        ExecutorService executor = new AgentThreads().http();
        try {
            switch (parsed.command) {
                case "version":
                    out.println("grpc-etcd-agent " + org.grpcetcd.agent.AgentVersion.current());
                    return 0;
                case "list":
                    return ListCommand.run(etcd(settings, executor), settings.keyLayout(), parsed.positional,
                            parsed.json, out);
                case "watch":
                    if (parsed.positional.size() != 1) {
                        err.println("watch needs one SERVICE");
                        err.println(USAGE);
                        return 2;
                    }
                    return WatchCommand.run(etcd(settings, executor),
                            settings.keyLayout().prefix(parsed.positional.get(0)), out);
                case "doctor":
                    return DoctorCommand.run(settings, executor, out);
                default:
                    err.println("unknown command '" + parsed.command + "'");
                    err.println(USAGE);
                    return 2;
            }
        } catch (EtcdUnavailableException | EtcdRequestException e) {
            err.println("etcd: " + AgentLog.describe(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } finally {
            executor.shutdownNow();
        }
    }

    private static EtcdClient etcd(Settings settings, ExecutorService executor) {
        return new EtcdClient(settings.etcdAccess(), executor);
    }
}
