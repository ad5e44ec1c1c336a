package org.grpcetcd.agent.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialFilesTest {
    @TempDir
    Path dir;

    @Test
    void aSecretVolumeSwappingItsDataSymlinkIsAChangeOfTheFileBehindIt() throws IOException {
        // a Kubernetes Secret volume: cert.pem -> ..data/cert.pem, ..data -> ..v1; an update swaps ..data to ..v2
        write(dir.resolve("..v1/cert.pem"), "first");
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v1"));
        Files.createSymbolicLink(dir.resolve("cert.pem"), Path.of("..data/cert.pem"));
        CredentialFiles files = files(dir.resolve("cert.pem"), null);
        Map<String, String> before = files.contents();

        write(dir.resolve("..v2/cert.pem"), "second");
        Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

        Map<String, String> after = files.contents();
        assertThat(after).isNotEqualTo(before);
        assertThat(files.changes(before, after)).isEqualTo("grpc.etcd.tls.cert-file=" + dir.resolve("cert.pem"));
    }

    @Test
    void contentCountsNotTime() throws IOException {
        Path cert = write(dir.resolve("cert.pem"), "one");
        Path key = write(dir.resolve("key.pem"), "key");
        CredentialFiles files = files(cert, key);
        Map<String, String> before = files.contents();
        FileTime time = Files.getLastModifiedTime(cert);

        Files.setLastModifiedTime(key, FileTime.fromMillis(time.toMillis() + 60_000)); // touched, same content
        write(cert, "two");
        Files.setLastModifiedTime(cert, time); // new content, old time (a copy that keeps times)

        Map<String, String> after = files.contents();
        assertThat(files.changes(before, after)).isEqualTo("grpc.etcd.tls.cert-file=" + cert);
    }

    @Test
    void aFileThatAppearsOrGoesIsAChangeAndItsContentIsNeverShown() throws IOException {
        Path password = dir.resolve("password");
        EtcdAccess access = new EtcdAccess(List.of(URI.create("http://127.0.0.1:2379")), EtcdAccess.TlsFiles.NONE,
                "alice", null, password);
        CredentialFiles files = new CredentialFiles(access);
        Map<String, String> missing = files.contents();
        write(password, "s3cret-value\n");
        Map<String, String> written = files.contents();

        assertThat(files.changes(missing, written)).isEqualTo("grpc.etcd.password-file=" + password);
        assertThat(written.toString()).doesNotContain("s3cret");
        assertThat(missing.get("grpc.etcd.password-file")).isEqualTo("unreadable: NoSuchFileException");
    }

    @Test
    void aPasswordFileWithoutAUserIsNotWatched() {
        EtcdAccess access = new EtcdAccess(List.of(URI.create("http://127.0.0.1:2379")), EtcdAccess.TlsFiles.NONE,
                null, null, dir.resolve("password"));
        assertThat(new CredentialFiles(access).isEmpty()).isTrue();
    }

    private static CredentialFiles files(Path cert, Path key) {
        return new CredentialFiles(new EtcdAccess(List.of(URI.create("https://127.0.0.1:2379")),
                new EtcdAccess.TlsFiles(null, cert, key), null, null, null));
    }

    private static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content.getBytes(StandardCharsets.US_ASCII));
        return file;
    }
}
