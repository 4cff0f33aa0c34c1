package io.databasement.storage.store;

import com.google.common.io.ByteStreams;
import io.databasement.storage.web.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.springframework.http.HttpStatus;

/**
 * A local upload whose parts have a declared size: part n is written straight to its place, offset
 * {@code (n-1) × partSize} of one data file, which completing truncates and renames onto the key. No byte is
 * written twice and nothing is copied at the end. The upload folder holds {@value #DATA}, {@value #PART_SIZE} and
 * per part a record {@code part-NNNNN.etag} ({@code <sha256> <size>}), present only while that part's bytes are
 * in place and whole, so they survive a restart.
 *
 * <p>Every attempt at a part takes a new ticket and first removes the part's record; it writes a chunk, and
 * finally its record, only while it still holds the part's newest ticket (checked under the part's lock). A retry
 * racing a slow earlier attempt therefore stops that attempt at its next chunk instead of interleaving with it, and
 * a part that fails (digest mismatch, broken body) leaves no record: its range counts as missing until sent again.
 *
 * <p>The whole-object SHA-256 is computed while the upload runs: whichever request completes the run of parts from
 * 1 without a gap reads them back (they are still in the page cache) into a running digest, so completing hashes
 * only what is left. Each hashed part remembers the ticket of the bytes it hashed; if the part was sent again
 * since, completing reads the whole file instead. That state lives in memory: after a restart (a new store) it
 * starts empty and completing reads everything, which is exact too. Two instances must not share an upload folder.
 */
final class PositionalUpload {

    static final String DATA = "data";
    static final String PART_SIZE = "part-size";
    private static final int BUFFER = 64 * 1024;

    private final Path dir;
    private final Path data;
    private final long partSize;
    /** How to read one stored part's content; null: its bytes are the content. */
    private final UnaryOperator<InputStream> partView;
    private final Map<Integer, Slot> slots = new ConcurrentHashMap<>();
    private final ReentrantLock prefixLock = new ReentrantLock();
    /** Guarded by prefixLock: the digest of parts 1..hashedTickets.size(), and the ticket each was hashed at. */
    private MessageDigest prefix = Digests.sha256();
    private final List<Long> hashedTickets = new ArrayList<>();
    private volatile int hashedParts;
    /** False when the content view is unknown (restart) or reading back failed: completing reads everything. */
    private volatile boolean hashing;
    private volatile boolean closed;

    /** One part number's attempts; guarded by its own monitor. */
    private static final class Slot {
        long ticket;
        boolean closed;
        Received received;
    }

    /** A part in place: its stored bytes' SHA-256 (the etag) and size. */
    record Received(String etag, long size) {
    }

    private PositionalUpload(Path dir, long partSize, UnaryOperator<InputStream> partView, boolean hashing) {
        this.dir = dir;
        this.data = dir.resolve(DATA);
        this.partSize = partSize;
        this.partView = partView;
        this.hashing = hashing;
    }

    /** Lays out a new upload in {@code dir}, which exists and is empty. */
    static PositionalUpload create(Path dir, UploadPlan plan) throws IOException {
        Files.writeString(dir.resolve(PART_SIZE), plan.partSize() + "\n", StandardCharsets.US_ASCII);
        Files.createFile(dir.resolve(DATA));
        return new PositionalUpload(dir, plan.partSize(), plan.partView(), true);
    }

    /** The upload in {@code dir} as found on disk (e.g. after a restart); null if it has no declared part size. */
    static PositionalUpload open(Path dir) {
        try {
            long partSize = Long.parseLong(Files.readString(dir.resolve(PART_SIZE), StandardCharsets.US_ASCII).trim());
            return new PositionalUpload(dir, partSize, null, false);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    Path data() {
        return data;
    }

    StoredPart put(int partNumber, InputStream body, String expectedSha256) {
        Slot slot = slots.computeIfAbsent(partNumber, n -> new Slot());
        long ticket;
        synchronized (slot) {
            if (slot.closed || closed) {
                throw completing(partNumber);
            }
            ticket = ++slot.ticket;
            slot.received = null;
            try {
                Files.deleteIfExists(recordFile(partNumber));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replace part " + partNumber, e);
            }
        }
        long offset = (partNumber - 1) * partSize;
        MessageDigest digest = Digests.sha256();
        long size = 0;
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = body.read(buffer)) != -1; ) {
                if (size + n > partSize) {
                    throw Problem.badRequest("part-too-large", "Part too large", "part " + partNumber
                            + " is larger than the part size the upload declared (" + partSize + " bytes stored)");
                }
                digest.update(buffer, 0, n);
                write(slot, ticket, partNumber, channel, ByteBuffer.wrap(buffer, 0, n), offset + size);
                size += n;
            }
        } catch (NoSuchFileException e) {
            throw new PartMissing("upload " + dir.getFileName() + " has no data file (aborted or swept)");
        } catch (IOException e) {
            throw new UncheckedIOException("could not receive part " + partNumber, e);
        }
        String etag = Digests.hex(digest);
        if (expectedSha256 != null && !etag.equalsIgnoreCase(expectedSha256)) {
            throw new PartDigestMismatch(partNumber, etag);
        }
        synchronized (slot) {
            if (slot.ticket != ticket || slot.closed) {
                throw superseded(partNumber);
            }
            try {
                writeRecord(partNumber, new Received(etag, size));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep part " + partNumber, e);
            }
            slot.received = new Received(etag, size);
        }
        hashPrefix();
        return new StoredPart(partNumber, etag, size);
    }

    private static void write(Slot slot, long ticket, int partNumber, FileChannel channel, ByteBuffer bytes, long position)
            throws IOException {
        synchronized (slot) {
            if (slot.ticket != ticket || slot.closed) {
                throw superseded(partNumber);
            }
            for (long at = position; bytes.hasRemaining(); ) {
                at += channel.write(bytes, at);
            }
        }
    }

    /**
     * Stops taking parts: an attempt in flight stops at its next chunk, and its part is missing. Completing checks
     * and hashes the parts only after this, so nothing changes under it; {@link #reopen} if it fails.
     */
    void close() {
        closed = true;
        slots.values().forEach(slot -> {
            synchronized (slot) {
                slot.closed = true;
            }
        });
    }

    void reopen() {
        slots.values().forEach(slot -> {
            synchronized (slot) {
                slot.closed = false;
            }
        });
        closed = false;
    }

    /**
     * The records of the listed parts, which must be 1 to N, each in place with the listed etag, all but the last
     * of exactly the declared size.
     */
    List<Received> check(List<PartRef> parts) {
        List<Received> received = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            PartRef part = parts.get(i);
            if (part.partNumber() != i + 1) {
                throw Problem.badRequest("invalid-part-list", "Invalid part list", "an upload with a declared part size"
                        + " is completed from parts 1 to N with none left out; part " + (i + 1) + " is not listed");
            }
            Received arrived = readRecord(part.partNumber());
            if (arrived == null) {
                throw new PartMissing("part " + part.partNumber() + " was never uploaded (or its last attempt failed)");
            }
            if (part.etag() != null && !part.etag().replace("\"", "").equalsIgnoreCase(arrived.etag())) {
                throw new PartMissing("part " + part.partNumber() + " has etag " + arrived.etag() + ", not " + part.etag());
            }
            if (i < parts.size() - 1 && arrived.size() != partSize) {
                throw Problem.badRequest("part-size-mismatch", "Part size mismatch", "part " + part.partNumber() + " has "
                        + arrived.size() + " bytes stored; every part but the last must have the declared " + partSize);
            }
            received.add(arrived);
        }
        return received;
    }

    static long size(List<Received> parts, long partSize) {
        return parts.isEmpty() ? 0 : (parts.size() - 1) * partSize + parts.get(parts.size() - 1).size();
    }

    long size(List<Received> parts) {
        return size(parts, partSize);
    }

    /**
     * The SHA-256 of the content of {@code parts} (as {@link #check} returned them; the upload is closed): the
     * running digest plus the parts after it when it still matches what is in place, else the whole file read
     * through {@code contentView}.
     */
    String contentSha256(List<Received> parts, UnaryOperator<InputStream> contentView) throws IOException {
        prefixLock.lock();
        try {
            if (prefixStillHolds(parts.size(), contentView)) {
                MessageDigest digest = clone(prefix);
                for (int n = hashedParts + 1; n <= parts.size(); n++) {
                    feed(digest, n, parts.get(n - 1).size());
                }
                return Digests.hex(digest);
            }
        } finally {
            prefixLock.unlock();
        }
        MessageDigest digest = Digests.sha256();
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ)) {
            InputStream raw = ByteStreams.limit(Channels.newInputStream(channel), size(parts));
            read(contentView == null ? raw : contentView.apply(raw), digest);
        }
        return Digests.hex(digest);
    }

    /** Whether completing can rely on the running digest; the caller holds prefixLock. */
    boolean prefixStillHolds(int partCount, UnaryOperator<InputStream> contentView) {
        if (!hashing || (partView == null) != (contentView == null) || hashedParts > partCount) {
            return false;
        }
        for (int n = 1; n <= hashedParts; n++) {
            Slot slot = slots.get(n);
            synchronized (slot) {
                if (slot.ticket != hashedTickets.get(n - 1) || slot.received == null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** How many parts, from 1 on, the running digest covers (for tests). */
    int hashedParts() {
        return hashedParts;
    }

    /** Cuts the data file to the object's size (a part beyond the listed ones is dropped). */
    void truncate(long size) throws IOException {
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    /**
     * Extends the running digest over the parts now in place after it. One request at a time does it; one that finds
     * it busy leaves its part to the request at work, which looks again before it stops.
     */
    private void hashPrefix() {
        do {
            if (!hashing || closed || !prefixLock.tryLock()) {
                return;
            }
            try {
                while (!closed && hashNext()) {
                    // each round adds one part
                }
            } catch (IOException | RuntimeException e) {
                // the part is in place all the same; completing reads it with the rest
                hashing = false;
            } finally {
                prefixLock.unlock();
            }
        } while (!closed && nextIsReady());
    }

    private boolean nextIsReady() {
        Slot slot = slots.get(hashedParts + 1);
        if (slot == null) {
            return false;
        }
        synchronized (slot) {
            return slot.received != null;
        }
    }

    /** Hashes the part after the prefix if it is in place; false when there is nothing (more) to do now. */
    private boolean hashNext() throws IOException {
        int partNumber = hashedParts + 1;
        Slot slot = slots.get(partNumber);
        if (slot == null) {
            return false;
        }
        long ticket;
        Received received;
        synchronized (slot) {
            if (slot.received == null) {
                return false;
            }
            ticket = slot.ticket;
            received = slot.received;
        }
        MessageDigest extended = clone(prefix);
        feed(extended, partNumber, received.size());
        synchronized (slot) {
            if (slot.ticket != ticket) {
                return false; // sent again while being read: the new attempt hashes it when it is done
            }
        }
        prefix = extended;
        hashedTickets.add(ticket);
        hashedParts = partNumber;
        return received.size() == partSize; // a shorter part is the last
    }

    private void feed(MessageDigest digest, int partNumber, long storedSize) throws IOException {
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ)) {
            channel.position((partNumber - 1) * partSize);
            InputStream raw = ByteStreams.limit(Channels.newInputStream(channel), storedSize);
            read(partView == null ? raw : partView.apply(raw), digest);
        }
    }

    private static void read(InputStream in, MessageDigest digest) throws IOException {
        try (in) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) != -1; ) {
                digest.update(buffer, 0, n);
            }
        }
    }

    private static MessageDigest clone(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JVM's SHA-256 cannot be copied", e);
        }
    }

    private Path recordFile(int partNumber) {
        return dir.resolve(String.format("part-%05d.etag", partNumber));
    }

    private void writeRecord(int partNumber, Received received) throws IOException {
        Path file = recordFile(partNumber);
        Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.writeString(tmp, received.etag() + " " + received.size() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Received readRecord(int partNumber) {
        try {
            String[] fields = Files.readString(recordFile(partNumber), StandardCharsets.US_ASCII).trim().split(" ");
            return fields.length == 2 ? new Received(fields[0], Long.parseLong(fields[1])) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static Problem superseded(int partNumber) {
        return new Problem(HttpStatus.CONFLICT, "part-superseded", "Part superseded",
                "part " + partNumber + " is being sent again by a newer request; this attempt was dropped");
    }

    private static Problem completing(int partNumber) {
        return new Problem(HttpStatus.CONFLICT, "upload-completing", "Upload being completed",
                "the upload is being completed: part " + partNumber + " is not taken");
    }
}
