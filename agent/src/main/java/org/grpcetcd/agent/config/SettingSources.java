package org.grpcetcd.agent.config;

import java.util.Map;
import java.util.Properties;

/**
 * Where a setting's raw text comes from, strongest first: system property, agent argument, environment
 * variable. A value that is present but blank counts as unset.
 */
final class SettingSources {
    private final Properties systemProperties;
    private final Map<String, String> agentArguments;
    private final Map<String, String> environment;

    SettingSources(Properties systemProperties, Map<String, String> agentArguments, Map<String, String> environment) {
        this.systemProperties = systemProperties;
        this.agentArguments = agentArguments;
        this.environment = environment;
    }

    /** The raw text of {@code setting}, or {@code null}. */
    String raw(Setting setting) {
        String value = nonBlank(systemProperties.getProperty(setting.systemProperty()));
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
        if (nonBlank(systemProperties.getProperty(setting.systemProperty())) != null) {
            return "system property " + setting.systemProperty();
        }
        if (nonBlank(agentArguments.get(setting.key())) != null) {
            return "agent argument " + setting.key();
        }
        return "environment variable " + setting.environmentVariable();
    }

    /** Agent argument names that are no setting, so a typo is reported instead of silently ignored. */
    Iterable<String> agentArgumentNames() {
        return agentArguments.keySet();
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
