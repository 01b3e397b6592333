package io.msixpool.domain;

import io.msixpool.domain.command.DeviceCommand;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digest of a command's content, every field but {@code commandId} (docs/rules.md "Retries"): the
 * command name and each record component as name=value, in declaration order, SHA-256 cut to its
 * first 128 bits in hex (ample against accidental collisions, and half the retry memory).
 * Defaults are applied by the constructors first, so an omitted optional field and the same field
 * spelled out with its default value are the same content.
 */
public final class CommandDigest {
    private CommandDigest() {
    }

    public static String of(DeviceCommand command) {
        DeviceCommand content = command.withoutCommandId();
        StringBuilder canonical = new StringBuilder(content.getClass().getSimpleName());
        for (RecordComponent component : content.getClass().getRecordComponents()) {
            if (!component.getName().equals("commandId")) {
                canonical.append('\n').append(component.getName()).append('=').append(valueOf(component, content));
            }
        }
        byte[] digest = sha256().digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    private static Object valueOf(RecordComponent component, DeviceCommand command) {
        try {
            return component.getAccessor().invoke(command);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName() + " of a command record", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
