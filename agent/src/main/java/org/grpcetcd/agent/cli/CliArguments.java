package org.grpcetcd.agent.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grpcetcd.agent.config.Setting;

/**
 * The CLI's command line: a command, its positional arguments, {@code --json}, and {@code --<setting> value}
 * (or {@code --<setting>=value}) for any agent setting, which beats the same setting given as a system
 * property or environment variable. {@code help}, {@code --help} and {@code -h} (anywhere) ask for the usage;
 * {@code --version} is {@code version}.
 */
final class CliArguments {
    final String command;
    final List<String> positional = new ArrayList<>();
    /** {@code --<setting> value} options by setting name, such as {@code endpoints} or {@code metadata.zone}. */
    final Map<String, String> options = new LinkedHashMap<>();
    boolean json;

    private CliArguments(String command) {
        this.command = command;
    }

    static CliArguments parse(String[] args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return new CliArguments("help");
            }
        }
        CliArguments parsed = new CliArguments(args[0].equals("--version") ? "version" : args[0]);
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--json")) {
                parsed.json = true;
            } else if (arg.startsWith("--")) {
                String name = arg.substring(2);
                String value;
                int equals = name.indexOf('=');
                if (equals >= 0) {
                    value = name.substring(equals + 1);
                    name = name.substring(0, equals);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
                if (value.isBlank()) {
                    // a blank value would count as unset and let another source (or the default) speak instead
                    throw new UsageException("--" + name + " needs a value");
                }
                parsed.options.put(settingName(name), value);
            } else {
                parsed.positional.add(arg);
            }
        }
        parsed.checkArguments();
        return parsed;
    }

    /** Refuses what the command would otherwise ignore: a second SERVICE, a stray word, --json off list. */
    private void checkArguments() throws UsageException {
        switch (command) {
            case "list":
                refuseMoreThan(1, "list takes at most one SERVICE");
                break;
            case "watch":
                if (positional.isEmpty()) {
                    throw new UsageException("watch needs one SERVICE");
                }
                refuseMoreThan(1, "watch takes one SERVICE");
                break;
            case "attach":
                if (positional.isEmpty()) {
                    throw new UsageException("attach needs the PID of a running JVM");
                }
                refuseMoreThan(1, "attach takes one PID");
                if (!positional.get(0).matches("[1-9][0-9]{0,9}")) {
                    throw new UsageException("attach: '" + positional.get(0) + "' is not a process id");
                }
                break;
            case "doctor":
            case "version":
            case "help":
                refuseMoreThan(0, command + " takes no argument");
                break;
            default:
                throw new UsageException("unknown command '" + command + "'");
        }
        if (json && !command.equals("list")) {
            throw new UsageException("--json is an option of list only");
        }
    }

    private void refuseMoreThan(int allowed, String rule) throws UsageException {
        if (positional.size() > allowed) {
            throw new UsageException(rule + "; extra: " + String.join(" ", positional.subList(allowed,
                    positional.size())));
        }
    }

    /** The setting an option stands for: {@code --ttl} is ttl, {@code --metadata.zone} is metadata.zone. */
    private static String settingName(String name) throws UsageException {
        if (name.startsWith("metadata.") && name.length() > "metadata.".length()) {
            return name;
        }
        for (Setting setting : Setting.values()) {
            if (setting.key().equals(name) && setting != Setting.METADATA) {
                return name;
            }
        }
        throw new UsageException("unknown option --" + name);
    }

    /** A command line that makes no sense: the CLI prints why and its usage, and exits with 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
