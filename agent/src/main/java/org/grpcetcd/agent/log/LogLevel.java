package org.grpcetcd.agent.log;

/** The agent's log levels, least severe first; {@code OFF} silences it. */
public enum LogLevel {
    DEBUG, INFO, WARN, ERROR, OFF
}
