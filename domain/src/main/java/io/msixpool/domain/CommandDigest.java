package io.msixpool.domain;

import io.msixpool.domain.command.DeviceCommand;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The digest of a command's content, every field but {@code commandId} (docs/rules.md "Retries"): the
 * command name and each record component as name=value, in declaration order, SHA-256 cut to its
 * first 128 bits in hex (ample against accidental collisions, and half the retry memory).
 * Defaults are applied by the constructors first, so an omitted optional field and the same field
 * spelled out with its default value are the same content.
 *
 * <p>Every command with a {@code commandId} is digested twice as it is decided (the duplicate check,
 * then its events' metadata), so what does not change between commands is found once: each type's
 * components (reflection copies them on every call) and each thread's SHA-256 (a provider lookup).
 */
public final class CommandDigest {
    /** A command type's components but {@code commandId}, in declaration order. */
    private static final ClassValue<RecordComponent[]> CONTENT = new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
            return Arrays.stream(type.getRecordComponents())
                    .filter(component -> !component.getName().equals("commandId"))
                    .toArray(RecordComponent[]::new);
        }
    };
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(CommandDigest::sha256);

    private CommandDigest() {
    }

    public static String of(DeviceCommand command) {
        StringBuilder canonical = new StringBuilder(command.getClass().getSimpleName());
        for (RecordComponent component : CONTENT.get(command.getClass())) {
            canonical.append('\n').append(component.getName()).append('=').append(valueOf(component.getAccessor(), command));
        }
        byte[] digest = SHA_256.get().digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    private static Object valueOf(Method accessor, DeviceCommand command) {
        try {
            return accessor.invoke(command);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + accessor.getName() + " of a command record", e);
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
