package org.grpcetcd.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * An app that never touches gRPC: prints {@code READY} and waits for {@code stop} (or the end of stdin). Shows
 * what the agent does in a JVM where gRPC is never used.
 */
public final class IdleApp {
    private IdleApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("READY");
        System.out.flush();
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
            if (line.trim().equals("stop")) {
                break;
            }
        }
        System.out.println("STOPPED");
    }
}
