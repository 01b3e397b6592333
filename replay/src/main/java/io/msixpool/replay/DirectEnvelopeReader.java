package io.msixpool.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A line's envelope as {@link DirectLineReader} reads it: all eight fields, each once and of its
 * JSON type, the timestamp exactly as export writes it; null for anything else, which Jackson's
 * binding then reads or refuses.
 */
final class DirectEnvelopeReader {
    private DirectEnvelopeReader() {
    }

    /** The envelope whose value {@code value} begins, read up to its end; null when it is not plain. */
    static Envelope read(JsonToken value, JsonParser parser) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            return null;
        }
        long position = 0;
        long sequence = 0;
        Instant timestamp = null;
        String commandId = null;
        String actor = null;
        String revision = null;
        String prev = null;
        String hash = null;
        int seen = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            int bit = switch (name) {
                case "position" -> 1;
                case "sequence" -> 2;
                case "timestamp" -> 4;
                case "commandId" -> 8;
                case "actor" -> 16;
                case "revision" -> 32;
                case "prev" -> 64;
                case "hash" -> 128;
                default -> 0;
            };
            if (bit == 0 || (seen & bit) != 0) {
                return null;
            }
            seen |= bit;
            switch (name) {
                case "position", "sequence" -> {
                    if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        return null;
                    }
                    if (bit == 1) {
                        position = parser.getLongValue();
                    } else {
                        sequence = parser.getLongValue();
                    }
                }
                case "timestamp" -> {
                    timestamp = token == JsonToken.VALUE_STRING ? timestamp(parser.getText()) : null;
                    if (timestamp == null) {
                        return null;
                    }
                }
                default -> {
                    if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NULL) {
                        return null;
                    }
                    String text = token == JsonToken.VALUE_NULL ? null : parser.getText();
                    switch (name) {
                        case "commandId" -> commandId = text;
                        case "actor" -> actor = text;
                        case "revision" -> revision = text;
                        case "prev" -> prev = text;
                        default -> hash = text;
                    }
                }
            }
        }
        return seen == 255 ? new Envelope(position, sequence, timestamp, commandId, actor, revision, prev, hash) : null;
    }

    /**
     * A timestamp as export writes it ({@link Envelope#TIMESTAMP_PATTERN}),
     * {@code 2026-11-22T03:12:07.118Z} and nothing else, read field by field (a general ISO-8601
     * parser costs more than the rest of the line); null for any other text, which the reference
     * path then reads.
     */
    static Instant timestamp(String text) {
        if (text.length() != 24 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.' || text.charAt(23) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int millis = digits(text, 20, 3);
        // Year 0 is no year of the reference's pattern (yyyy is the year of the era): refused there too.
        if ((year | month | day | hour | minute | second | millis) < 0 || year == 0 || hour > 23 || minute > 59
                || second > 59) {
            return null;
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, millis * 1_000_000L);
        } catch (DateTimeException noSuchDay) {
            return null;
        }
    }

    /** The number written by {@code length} decimal digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char ch = text.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            value = value * 10 + (ch - '0');
        }
        return value;
    }
}
