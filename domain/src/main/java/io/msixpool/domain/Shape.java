package io.msixpool.domain;

import java.util.regex.Pattern;

/** The shape rules of docs/wire.md that command constructors check; business rules live in DeviceRules. */
public final class Shape {
    public static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$");
    public static final int COMMAND_ID_MAX_LENGTH = 128;

    private Shape() {
    }

    public static String id(String field, String value) {
        if (value == null) {
            throw new MalformedCommand(field + " is required");
        }
        if (!ID.matcher(value).matches()) {
            throw new MalformedCommand(field + " \"" + value + "\" must match " + ID.pattern());
        }
        return value;
    }

    /** commandId is optional; when present it is 1..128 printable ASCII characters (0x21..0x7E). */
    public static String commandId(String value) {
        if (value == null) {
            return null;
        }
        boolean printable = value.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7E);
        if (value.isEmpty() || value.length() > COMMAND_ID_MAX_LENGTH || !printable) {
            throw new MalformedCommand("commandId must be 1.." + COMMAND_ID_MAX_LENGTH
                    + " printable ASCII characters (0x21..0x7E)");
        }
        return value;
    }

    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new MalformedCommand(field + " is required");
        }
        return value;
    }
}
