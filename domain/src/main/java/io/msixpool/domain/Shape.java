package io.msixpool.domain;

import java.util.regex.Pattern;

/**
 * The shape rules of docs/wire.md that command constructors check, each defined here once and used
 * wherever the same shape is checked (the HTTP bus's and the command line's device and PF ids);
 * business rules live in DeviceRules.
 */
public final class Shape {
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$");
    public static final int COMMAND_ID_MAX_LENGTH = 128;

    private Shape() {
    }

    public static String id(String field, String value) {
        if (value == null) {
            throw new MalformedCommand(field + " is required");
        }
        String problem = whyNotId(field, value);
        if (problem != null) {
            throw new MalformedCommand(problem);
        }
        return value;
    }

    /** Why {@code value} of {@code field} is not an id ({@code device}, {@code pf}), or null when it is one. */
    public static String whyNotId(String field, String value) {
        return ID.matcher(value).matches() ? null : field + " \"" + value + "\" must match " + ID.pattern();
    }

    /** commandId is optional; when present it is 1..128 printable ASCII characters (0x21..0x7E). */
    public static String commandId(String value) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > COMMAND_ID_MAX_LENGTH || !printable(value)) {
            throw new MalformedCommand("commandId must be 1.." + COMMAND_ID_MAX_LENGTH
                    + " printable ASCII characters (0x21..0x7E)");
        }
        return value;
    }

    /**
     * True when every character of {@code text} is printable ASCII other than space (0x21..0x7E):
     * the characters of a commandId and of an actor name (docs/event-log.md, "Actor names").
     */
    public static boolean printable(String text) {
        return text.chars().allMatch(Shape::printableChar);
    }

    /** True for a printable ASCII character other than space (0x21..0x7E). */
    public static boolean printableChar(int ch) {
        return ch >= 0x21 && ch <= 0x7E;
    }

    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new MalformedCommand(field + " is required");
        }
        return value;
    }
}
