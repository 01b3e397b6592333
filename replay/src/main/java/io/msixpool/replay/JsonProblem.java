package io.msixpool.replay;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is wrong with a text that Jackson could not read, said in the terms of the text: where
 * (line and column) and what, never Jackson's class or feature names nor its "Source: REDACTED".
 * Shared by everything that reads JSON a user wrote: a command (msix apply, the HTTP bus), a tokens
 * file, a line of the event log.
 */
public final class JsonProblem {
    private static final Pattern WORD = Pattern.compile("(?:Unrecognized|Non-standard) token '([^']*)'");
    private static final Pattern LIMIT = Pattern.compile("maximum allowed \\((\\d+)");
    /** Jackson's rendering of a character: {@code ('x' (code 120))} or {@code ((CTRL-CHAR, code 10))}. */
    private static final Pattern CHARACTER = Pattern.compile("\\(\\('(.)' \\(code \\d+\\)\\)|\\('(.+?)' \\(code \\d+\\)\\)"
            + "|\\(\\((?:CTRL-CHAR|ctrl-char), code (\\d+)\\)\\)", Pattern.DOTALL);
    private static final String A_VALUE = "a value (a string, number, object, array, true, false or null)";

    /** Jackson's message (without its location) to ours, the first that matches; {@code $c} is the character. */
    private static final List<Rewrite> REWRITES = List.of(
            new Rewrite("^Duplicate (?:field|Object property) '(.*)'$", m -> "the field \"" + m.group(1) + "\" appears twice"),
            new Rewrite("^Unrecognized token '(.*)': was expecting.*$", m -> "'" + m.group(1) + "' where " + A_VALUE
                    + " should be"),
            new Rewrite("^Non-standard token '(.*)'.*$", m -> "'" + m.group(1) + "' is not a JSON number"),
            new Rewrite("^Unexpected character \\$c: maybe a \\(non-standard\\) comment\\?.*$",
                    m -> "unexpected $c: JSON has no comments"),
            new Rewrite("^Unexpected character \\$c: was expecting double-quote to start field name$",
                    m -> "unexpected $c: expected a field name in double quotes"),
            new Rewrite("^Unexpected character \\$c: was expecting a colon to separate field name and value$",
                    m -> "unexpected $c: expected a colon between a field name and its value"),
            new Rewrite("^Unexpected character \\$c: was expecting comma to separate (Object|Array) entries$",
                    m -> "unexpected $c: expected a comma between " + m.group(1).toLowerCase(Locale.ROOT) + " entries"),
            new Rewrite("^Unexpected character \\$c: expected a valid value.*$", m -> "unexpected $c where " + A_VALUE
                    + " should be"),
            new Rewrite("^Unexpected character \\$c in numeric value: (.*?)(?:, for valid numeric value)?$",
                    m -> "unexpected $c in a number: " + m.group(1)),
            new Rewrite("^Unexpected character \\$c.*$", m -> "unexpected $c"),
            new Rewrite("^Illegal unquoted character \\$c.*$", m -> "$c inside a string: write it as an escape such as \\n"),
            new Rewrite("^Illegal character \\$c.*$", m -> "$c between values: only spaces, tabs and line breaks may be there"),
            new Rewrite("^Unrecognized character escape '(.*)'.*$", m -> "unknown escape \\" + m.group(1) + " in a string"),
            new Rewrite("^Invalid numeric value: (.*)$", m -> "an invalid number: " + lower(m.group(1))),
            new Rewrite("^Unexpected close marker '(.)'.*$", m -> "unexpected '" + m.group(1) + "': it closes nothing open"),
            new Rewrite("^Invalid UTF-8.*$", m -> "bytes that are not UTF-8"));

    private record Rewrite(Pattern pattern, Function<Matcher, String> text) {
        Rewrite(String regex, Function<Matcher, String> text) {
            this(Pattern.compile(regex, Pattern.DOTALL), text);
        }
    }

    private JsonProblem() {
    }

    /**
     * One line for people: "malformed JSON at line 2 column 7: expected a comma between object entries",
     * "more than one JSON value: text follows the first at column 19", "nested deeper than 1000 levels".
     */
    public static String of(JsonProcessingException failure) {
        String message = String.valueOf(failure.getOriginalMessage());
        if (failure instanceof StreamConstraintsException) {
            return tooLarge(message);
        }
        String where = where(failure.getLocation(), message);
        if (failure instanceof MismatchedInputException && message.startsWith("Trailing token")) {
            return "more than one JSON value: text follows the first" + where;
        }
        if (failure instanceof JsonEOFException || message.startsWith("Unexpected end-of-input")) {
            return "malformed JSON: the text ends before the value does (an object, array or string is not closed)";
        }
        return "malformed JSON" + where + reason(message);
    }

    /** The reason in our words, or nothing when Jackson's message is not one we know how to say. */
    private static String reason(String message) {
        int end = message.indexOf('\n');
        String first = end < 0 ? message : message.substring(0, end);
        String character = null;
        Matcher quoted = CHARACTER.matcher(first);
        if (quoted.find()) {
            character = quoted.group(3) != null ? controlCharacter(Integer.parseInt(quoted.group(3)))
                    : "'" + (quoted.group(1) != null ? quoted.group(1) : quoted.group(2)) + "'";
            first = first.substring(0, quoted.start()) + "$c" + first.substring(quoted.end());
        }
        for (Rewrite rewrite : REWRITES) {
            Matcher matcher = rewrite.pattern().matcher(first);
            if (matcher.matches()) {
                String text = rewrite.text().apply(matcher);
                return ": " + (character == null ? text : text.replace("$c", character));
            }
        }
        return "";
    }

    private static String tooLarge(String message) {
        Matcher limit = LIMIT.matcher(message);
        String max = limit.find() ? limit.group(1) : null;
        if (max == null) {
            return "too large to read";
        }
        if (message.startsWith("Document nesting depth")) {
            return "nested deeper than " + max + " levels of objects and arrays";
        }
        if (message.startsWith("Number value length")) {
            return "a number longer than " + max + " digits";
        }
        if (message.startsWith("String value length")) {
            return "a string longer than " + max + " characters";
        }
        if (message.startsWith("Name length")) {
            return "a field name longer than " + max + " characters";
        }
        return "longer than " + max + " characters";
    }

    /** Where the problem is; Jackson places a bad word's location after it, we name where it begins. */
    private static String where(JsonLocation location, String message) {
        if (location == null || location.getColumnNr() < 1) {
            return "";
        }
        int column = location.getColumnNr();
        Matcher word = WORD.matcher(message);
        if (word.lookingAt() && column > word.group(1).length()) {
            column -= word.group(1).length();
        }
        return location.getLineNr() > 1 ? " at line " + location.getLineNr() + " column " + column : " at column " + column;
    }

    private static String controlCharacter(int code) {
        String name = switch (code) {
            case '\n' -> " (line feed)";
            case '\r' -> " (carriage return)";
            case '\t' -> " (tab)";
            case 0 -> " (NUL)";
            default -> "";
        };
        return String.format(Locale.ROOT, "control character U+%04X%s", code, name);
    }

    private static String lower(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
