package org.grpcetcd.agent.config;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where a setting's raw text comes from, strongest first: CLI option, system property, agent argument,
 * environment variable. A value that is present but blank counts as unset.
 */
final class SettingSources {
    private final Map<String, String> options;
    private final Properties systemProperties;
    private final Map<String, String> agentArguments;
    private final Map<String, String> environment;

    /** {@code options}: the CLI's {@code --<name> value} options by setting name (none for the agent). */
    SettingSources(Map<String, String> options, Properties systemProperties, Map<String, String> agentArguments,
            Map<String, String> environment) {
        this.options = options;
        this.systemProperties = systemProperties;
        this.agentArguments = agentArguments;
        this.environment = environment;
    }

    /** The raw text of {@code setting}, or {@code null}. */
    String raw(Setting setting) {
        String value = nonBlank(options.get(setting.key()));
        if (value == null) {
            value = nonBlank(systemProperties.getProperty(setting.systemProperty()));
        }
        if (value == null) {
            value = nonBlank(agentArguments.get(setting.key()));
        }
        if (value == null) {
            value = nonBlank(environment.get(setting.environmentVariable()));
        }
        return value;
    }

    /** Where {@code setting} was given, for messages. */
    String origin(Setting setting) {
        if (nonBlank(options.get(setting.key())) != null) {
            return "option --" + setting.key();
        }
        if (nonBlank(systemProperties.getProperty(setting.systemProperty())) != null) {
            return "system property " + setting.systemProperty();
        }
        if (nonBlank(agentArguments.get(setting.key())) != null) {
            return "agent argument " + setting.key();
        }
        return "environment variable " + setting.environmentVariable();
    }

    /**
     * Every {@code <key>=value} of a family of settings such as {@code metadata.<key>}: system properties
     * {@code grpc.etcd.<family>.<key>}, agent arguments {@code <family>.<key>}, environment variables
     * {@code GRPC_ETCD_<FAMILY>_<KEY>} (whose key is read in lower case), options {@code --<family>.<key>}.
     * Stronger sources win per key.
     */
    Map<String, String> family(String family) {
        Map<String, String> values = new TreeMap<>();
        String envPrefix = "GRPC_ETCD_" + family.toUpperCase(Locale.ROOT) + "_";
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            String name = variable.getKey();
            if (name.startsWith(envPrefix) && name.length() > envPrefix.length() && nonBlank(variable.getValue()) != null) {
                values.put(name.substring(envPrefix.length()).toLowerCase(Locale.ROOT), variable.getValue().trim());
            }
        }
        putFamily(agentArguments, family, values);
        String propertyPrefix = "grpc.etcd." + family + ".";
        for (String name : systemProperties.stringPropertyNames()) {
            String value = nonBlank(systemProperties.getProperty(name));
            if (name.startsWith(propertyPrefix) && name.length() > propertyPrefix.length() && value != null) {
                values.put(name.substring(propertyPrefix.length()), value);
            }
        }
        putFamily(options, family, values);
        return values;
    }

    private static void putFamily(Map<String, String> source, String family, Map<String, String> values) {
        for (Map.Entry<String, String> entry : source.entrySet()) {
            String name = entry.getKey();
            if (name.startsWith(family + ".") && name.length() > family.length() + 1
                    && nonBlank(entry.getValue()) != null) {
                values.put(name.substring(family.length() + 1), entry.getValue().trim());
            }
        }
    }

    /** Agent argument names that are no setting, so a typo is reported instead of silently ignored. */
    Iterable<String> agentArgumentNames() {
        return agentArguments.keySet();
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
