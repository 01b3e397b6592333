package io.msixpool.replay.report;

import java.util.Locale;

/** Text for the page: text from the log made safe for HTML, and lengths of time. */
final class Html {
    private Html() {
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                case '\t', '\n', '\r' -> null;
                // Other control characters are not allowed in HTML text.
                default -> c < 0x20 || c == 0x7f ? "\ufffd" : null;
            };
            if (replacement != null || out != null) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** A length of time for people: 250 ms, 1.5 s, 35.0 min, 2.5 h, 3.0 days. */
    static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 120_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        if (millis < 7_200_000) {
            return String.format(Locale.ROOT, "%.1f min", millis / 60_000.0);
        }
        if (millis < 172_800_000) {
            return String.format(Locale.ROOT, "%.1f h", millis / 3_600_000.0);
        }
        return String.format(Locale.ROOT, "%.1f days", millis / 86_400_000.0);
    }
}
