package io.msixpool.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The retry memory of one device: commandId -> content digest of the last {@link RecentIds#CAPACITY}
 * accepted commands that recorded events, oldest first. It is rebuilt from event metadata on replay,
 * so it survives a crash exactly like the pools do. Mutated only by the aggregate's event sourcing handler.
 */
public final class RecentCommands {
    private final RecentIds<String> digestById = new RecentIds<>();

    public RecentCommands() {
    }

    /** Snapshots store the entries oldest first, as pairs [commandId, digest]. */
    @JsonCreator
    public RecentCommands(List<List<String>> entries) {
        entries.forEach(entry -> remember(entry.get(0), entry.get(1)));
    }

    @JsonValue
    List<List<String>> entries() {
        List<List<String>> entries = new ArrayList<>(digestById.size());
        digestById.forEach((id, digest) -> entries.add(List.of(id, digest)));
        return entries;
    }

    public void remember(String commandId, String digest) {
        digestById.remember(commandId, digest);
    }

    /**
     * True when {@code commandId} was accepted before with the same content; a remembered id with
     * other content is the client's mistake and rejected as COMMAND_ID_REUSED.
     */
    public boolean isDuplicate(String commandId, String digest) {
        String remembered = digestById.get(commandId);
        if (remembered == null) {
            return false;
        }
        if (!remembered.equals(digest)) {
            throw new Rejection(RejectionCode.COMMAND_ID_REUSED,
                    "commandId " + commandId + " was already used for a command with other content");
        }
        return true;
    }

    public int size() {
        return digestById.size();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecentCommands that && digestById.equals(that.digestById);
    }

    @Override
    public int hashCode() {
        return Objects.hash(digestById);
    }
}
