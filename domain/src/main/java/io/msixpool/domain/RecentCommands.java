package io.msixpool.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

    RecentCommands copy() {
        return new RecentCommands(entries());
    }

    public void remember(String commandId, String digest) {
        digestById.remember(commandId, digest);
    }

    /**
     * What this memory makes of a command with {@code commandId} and content {@code digest}: a
     * duplicate when that id was accepted before with the same content; a refusal
     * (COMMAND_ID_REUSED) when with other content, which is the client's mistake; nothing when the
     * id is not remembered, and the rules decide.
     */
    public Optional<Decision> recall(String commandId, String digest) {
        String remembered = digestById.get(commandId);
        if (remembered == null) {
            return Optional.empty();
        }
        return Optional.of(remembered.equals(digest) ? Decision.DUPLICATE : new Decision.Refused(
                RejectionCode.COMMAND_ID_REUSED, "commandId " + commandId + " was already used for a command with other content"));
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
