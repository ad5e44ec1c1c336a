package org.grpcetcd.agent.etcd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The files the agent reads etcd credentials from (the TLS files, the password file), and what each holds, as a
 * digest: the content, never its time. A Kubernetes Secret volume swaps a symlink ({@code ..data}) to a new
 * directory, which leaves the times of the paths the app was given alone, and a copy may keep the old time.
 */
final class CredentialFiles {
    private final Map<String, Path> bySetting = new LinkedHashMap<>();

    CredentialFiles(EtcdAccess access) {
        add("grpc.etcd.tls.ca-file", access.tls().caFile);
        add("grpc.etcd.tls.cert-file", access.tls().certFile);
        add("grpc.etcd.tls.key-file", access.tls().keyFile);
        access.passwordFile().ifPresent(file -> add("grpc.etcd.password-file", file));
    }

    private void add(String setting, Path file) {
        if (file != null) {
            bySetting.put(setting, file);
        }
    }

    boolean isEmpty() {
        return bySetting.isEmpty();
    }

    /** What each file holds now, by setting: a digest of its content, or why it cannot be read. */
    Map<String, String> contents() {
        Map<String, String> contents = new LinkedHashMap<>();
        bySetting.forEach((setting, file) -> contents.put(setting, digest(file)));
        return contents;
    }

    /** The settings and files whose content differs between two looks, for a log line ("setting=file, ..."). */
    String changes(Map<String, String> before, Map<String, String> now) {
        List<String> changed = new ArrayList<>();
        bySetting.forEach((setting, file) -> {
            if (!Objects.equals(before.get(setting), now.get(setting))) {
                changed.add(setting + "=" + file);
            }
        });
        return String.join(", ", changed);
    }

    private static String digest(Path file) {
        try {
            byte[] content = Files.readAllBytes(file); // follows symlinks: the content the agent would read
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (IOException e) {
            return "unreadable: " + e.getClass().getSimpleName(); // a file that appears later is a change too
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
