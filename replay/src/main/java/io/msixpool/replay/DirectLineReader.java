package io.msixpool.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.msixpool.domain.Emulation;
import io.msixpool.domain.ResetKind;
import io.msixpool.domain.event.ArmRebooted;
import io.msixpool.domain.event.DefaultDistributionApplied;
import io.msixpool.domain.event.DeviceEvent;
import io.msixpool.domain.event.NumVfsChanged;
import io.msixpool.domain.event.PfClosed;
import io.msixpool.domain.event.PfOpened;
import io.msixpool.domain.event.PfProvisioned;
import io.msixpool.domain.event.ReclaimedVf;
import io.msixpool.domain.event.VectorsAssigned;
import io.msixpool.domain.event.VectorsReclaimed;
import io.msixpool.domain.event.VectorsReleased;
import io.msixpool.domain.event.VfClosed;
import io.msixpool.domain.event.VfOpened;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an exported line straight from the parser's tokens into the event record and its envelope,
 * in one pass and without Jackson's data binding: replay spends most of its time reading lines,
 * and binding costs about three times the bare parse (docs/benchmarks.md).
 *
 * <p>It is a fast path, never a second definition: it reads only lines that are plainly well
 * formed, in the current revision (every field of the type present once, of its JSON type, nothing
 * else), and answers null for anything else, which {@link EventLogFormat#read} then reads through
 * Jackson's binding, the reference. A test reads every event type both ways and requires the same
 * records from both, and that this path took each of them.
 */
final class DirectLineReader {
    private static final JsonFactory FACTORY = new JsonFactory();

    private DirectLineReader() {
    }

    // The top-level fields an event line may have, numbered for Fields' arrays and bit set.
    private static final int TYPE = 0, DEVICE = 1, PF = 2, EMULATION = 3, KIND = 4;  // strings
    private static final int VF = 5, MSIX = 6, VF_COUNT = 7, MSIX_TOTAL = 8, VF_MIN = 9, VF_MAX = 10,
            PER_VF = 11, FROM = 12, TO = 13, TOTAL = 14;  // ints
    private static final int DYNAMIC = 15, RECLAIMED = 16, ENVELOPE = 17;

    private static int fieldOf(String name) {
        return switch (name) {
            case "type" -> TYPE;
            case "device" -> DEVICE;
            case "pf" -> PF;
            case "emulation" -> EMULATION;
            case "kind" -> KIND;
            case "vf" -> VF;
            case "msix" -> MSIX;
            case "vfCount" -> VF_COUNT;
            case "msixTotal" -> MSIX_TOTAL;
            case "vfMinMsix" -> VF_MIN;
            case "vfMaxMsix" -> VF_MAX;
            case "msixPerVf" -> PER_VF;
            case "from" -> FROM;
            case "to" -> TO;
            case "total" -> TOTAL;
            case "dynamicMsix" -> DYNAMIC;
            case "reclaimed" -> RECLAIMED;
            case EventLogFormat.ENVELOPE -> ENVELOPE;
            default -> -1;
        };
    }

    /** The fields each type has; a line must have exactly these, each once. */
    private static long expected(String type) {
        long common = bits(TYPE, DEVICE, ENVELOPE);
        return switch (type) {
            case "PfProvisioned" -> common | bits(PF, EMULATION, VF_COUNT, MSIX_TOTAL, VF_MIN, VF_MAX);
            case "DefaultDistributionApplied" -> common | bits(PF, PER_VF);
            case "PfOpened" -> common | bits(PF, DYNAMIC);
            case "PfClosed" -> common | bits(PF);
            case "NumVfsChanged" -> common | bits(PF, FROM, TO);
            case "VectorsReclaimed" -> common | bits(PF, RECLAIMED, TOTAL);
            case "VectorsAssigned", "VectorsReleased" -> common | bits(PF, VF, MSIX);
            case "VfOpened", "VfClosed" -> common | bits(PF, VF);
            case "ArmRebooted" -> common | bits(KIND);
            default -> -1;
        };
    }

    /** The top-level values of one line, by field number, and which fields were seen. */
    private static final class Fields {
        long seen;
        final String[] texts = new String[KIND + 1];
        final int[] ints = new int[TOTAL + 1];
        boolean dynamicMsix;
        List<ReclaimedVf> reclaimed;
        Envelope envelope;
    }

    static LoggedEvent read(String line) {
        try (JsonParser parser = FACTORY.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            LoggedEvent read = read(parser);
            return read != null && parser.nextToken() == null ? read : null;
        } catch (IOException | RuntimeException notPlain) {
            return null;
        }
    }

    /**
     * Every line of {@code bytes[from, to)} (UTF-8, one JSON object a line, blank lines allowed)
     * read through one parser: parsing a whole batch in one go saves the set-up of a parser per
     * line, which costs as much as the line. Null as soon as one line is not plain, or a line does
     * not hold exactly one object: the caller then reads the batch line by line.
     */
    static List<LoggedEvent> readLines(byte[] bytes, int from, int to) {
        // The parser counts a bare \r as a line end, the log's readers do not: such a batch goes line by line.
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\r' && (i + 1 == to || bytes[i + 1] != '\n')) {
                return null;
            }
        }
        try (JsonParser parser = FACTORY.createParser(bytes, from, to - from)) {
            List<LoggedEvent> lines = new ArrayList<>();
            int lastLine = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                int line = parser.currentTokenLocation().getLineNr();
                if (token != JsonToken.START_OBJECT || line <= lastLine) {
                    return null;
                }
                LoggedEvent read = read(parser);
                if (read == null || parser.currentLocation().getLineNr() != line) {
                    return null;
                }
                lines.add(read);
                lastLine = line;
            }
            return lines;
        } catch (IOException | RuntimeException notPlain) {
            return null;
        }
    }

    /** The object the parser stands at the start of, read up to its end; null when it is not plain. */
    private static LoggedEvent read(JsonParser parser) throws IOException {
        Fields fields = new Fields();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            if (!field(fieldOf(parser.currentName()), parser, fields)) {
                return null;
            }
        }
        String type = fields.texts[TYPE];
        if (parser.currentToken() != JsonToken.END_OBJECT || type == null || fields.seen != expected(type)
                || fields.envelope.revision() == null
                || !fields.envelope.revision().equals(Upcasters.currentRevision(type))) {
            return null;
        }
        return new LoggedEvent(event(type, fields), fields.envelope);
    }

    /** Reads one top-level field's value; false when the line is not one this path reads. */
    private static boolean field(int field, JsonParser parser, Fields f) throws IOException {
        JsonToken value = parser.nextToken();
        if (field < 0 || (f.seen & (1L << field)) != 0) {
            return false;
        }
        f.seen |= 1L << field;
        if (field <= KIND) {
            f.texts[field] = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            return f.texts[field] != null;
        }
        if (field <= TOTAL) {
            if (!isInt(value, parser)) {
                return false;
            }
            f.ints[field] = parser.getIntValue();
            return true;
        }
        return switch (field) {
            case DYNAMIC -> {
                f.dynamicMsix = value == JsonToken.VALUE_TRUE;
                yield value.isBoolean();
            }
            case RECLAIMED -> (f.reclaimed = reclaimed(value, parser)) != null;
            default -> (f.envelope = envelope(value, parser)) != null;
        };
    }

    private static DeviceEvent event(String type, Fields f) {
        String device = f.texts[DEVICE];
        String pf = f.texts[PF];
        int[] i = f.ints;
        return switch (type) {
            case "PfProvisioned" -> new PfProvisioned(device, pf, Emulation.valueOf(f.texts[EMULATION]), i[VF_COUNT],
                    i[MSIX_TOTAL], i[VF_MIN], i[VF_MAX]);
            case "DefaultDistributionApplied" -> new DefaultDistributionApplied(device, pf, i[PER_VF]);
            case "PfOpened" -> new PfOpened(device, pf, f.dynamicMsix);
            case "PfClosed" -> new PfClosed(device, pf);
            case "NumVfsChanged" -> new NumVfsChanged(device, pf, i[FROM], i[TO]);
            case "VectorsReclaimed" -> new VectorsReclaimed(device, pf, f.reclaimed, i[TOTAL]);
            case "VectorsAssigned" -> new VectorsAssigned(device, pf, i[VF], i[MSIX]);
            case "VectorsReleased" -> new VectorsReleased(device, pf, i[VF], i[MSIX]);
            case "VfOpened" -> new VfOpened(device, pf, i[VF]);
            case "VfClosed" -> new VfClosed(device, pf, i[VF]);
            case "ArmRebooted" -> new ArmRebooted(device, ResetKind.valueOf(f.texts[KIND]));
            default -> throw new IllegalArgumentException(type);
        };
    }

    private static List<ReclaimedVf> reclaimed(JsonToken value, JsonParser parser) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            return null;
        }
        List<ReclaimedVf> reclaimed = new ArrayList<>();
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            int vf = -1;
            int msix = -1;
            boolean sawVf = false;
            boolean sawMsix = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (!isInt(parser.nextToken(), parser)) {
                    return null;
                }
                if (name.equals("vf") && !sawVf) {
                    vf = parser.getIntValue();
                    sawVf = true;
                } else if (name.equals("msix") && !sawMsix) {
                    msix = parser.getIntValue();
                    sawMsix = true;
                } else {
                    return null;
                }
            }
            if (!sawVf || !sawMsix) {
                return null;
            }
            reclaimed.add(new ReclaimedVf(vf, msix));
        }
        return parser.currentToken() == JsonToken.END_ARRAY ? reclaimed : null;
    }

    private static Envelope envelope(JsonToken value, JsonParser parser) throws IOException {
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
     * A timestamp as export writes it, {@code 2026-11-22T03:12:07.118Z} and nothing else, read
     * field by field (a general ISO-8601 parser costs more than the rest of the line); null for
     * any other text, which the reference path then reads.
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

    private static String text(JsonToken value, JsonParser parser) throws IOException {
        return value == JsonToken.VALUE_STRING ? parser.getText() : null;
    }

    private static boolean isInt(JsonToken value, JsonParser parser) throws IOException {
        return value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT;
    }

    private static long bits(int... bits) {
        long mask = 0;
        for (int bit : bits) {
            mask |= 1L << bit;
        }
        return mask;
    }
}
