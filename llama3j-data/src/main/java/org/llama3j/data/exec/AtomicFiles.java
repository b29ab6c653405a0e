package org.llama3j.data.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Write-then-rename: a file is produced under a temp name in the same directory and renamed into place, so a
 * reader (or a restarted run) sees either the old state or the complete new file, never a partial one. The temp
 * name keeps the final extension so compression is chosen correctly.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static Path temp(Path target) {
        return target.resolveSibling(".tmp." + target.getFileName());
    }

    public static void commit(Path temp, Path target) {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + temp + " to " + target, e);
        }
    }

    public static void writeString(Path target, String content) {
        Path t = temp(target);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.writeString(t, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        commit(t, target);
    }
}
