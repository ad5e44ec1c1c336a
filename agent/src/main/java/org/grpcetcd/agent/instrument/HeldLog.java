package org.grpcetcd.agent.instrument;

import java.util.ArrayList;
import java.util.List;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.log.LogLevel;

/**
 * The instrumentation's log lines, held back until the agent has read its settings: gRPC classes may load
 * before that, and what they make the agent say must obey the log level that was set.
 */
final class HeldLog {
    private final List<LogLevel> heldLevels = new ArrayList<>(); // guarded by this, like the two below
    private final List<String> heldMessages = new ArrayList<>();
    private boolean settingsRead;

    /** The settings are read (or failed to be): prints what was held. */
    void settingsRead() {
        List<LogLevel> levels;
        List<String> messages;
        synchronized (this) {
            settingsRead = true;
            levels = new ArrayList<>(heldLevels);
            messages = new ArrayList<>(heldMessages);
            heldLevels.clear();
            heldMessages.clear();
        }
        for (int i = 0; i < levels.size(); i++) {
            AgentLog.log(levels.get(i), messages.get(i));
        }
    }

    void log(LogLevel level, String message) {
        synchronized (this) {
            if (!settingsRead) {
                heldLevels.add(level);
                heldMessages.add(message);
                return;
            }
        }
        AgentLog.log(level, message);
    }
}
