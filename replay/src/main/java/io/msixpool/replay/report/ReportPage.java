package io.msixpool.replay.report;

import io.msixpool.replay.audit.AuditResult;
import io.msixpool.replay.audit.Finding;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The page itself: summary, findings, actors, then per device and PF its charts. */
final class ReportPage {
    static final int MAX_FINDING_ROWS = 1000;
    static final int MAX_ACTOR_ROWS = 1000;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final String STYLE = """
            body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;padding:0 12px;color:#1b1b1b}
            h1{font-size:22px;margin:0 0 12px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #ccc}
            h3{font-size:16px;margin:24px 0 4px}h4{font-size:14px;margin:18px 0 2px}
            .verdict{display:inline-block;font-size:20px;font-weight:600;padding:6px 14px;border-radius:6px;
            margin:0 0 12px}
            .clean{background:#e2f3df;color:#1d6a1d}.bad{background:#fbe0df;color:#a11a1a}
            table{border-collapse:collapse;margin:6px 0;font-size:13px}
            th,td{border:1px solid #d6d6d6;padding:3px 7px;text-align:left;vertical-align:top}
            th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}
            td.msg{word-break:break-word;max-width:520px}.summary th{width:170px}
            .note{color:#555;font-style:italic}nav a{margin-right:10px}.facts{margin:0;color:#333}
            .chart{display:block;margin:6px 0}.chart text{font:11px sans-serif;fill:#333}
            .s{text-anchor:start}.m{text-anchor:middle}.e{text-anchor:end}
            .grid{fill:none;stroke:#ececec}.axis{fill:none;stroke:#aaa}
            .free{fill:#e3edf9;stroke:#1f5fa8;stroke-width:1.6;vector-effect:non-scaling-stroke}
            .band{fill:#1f5fa8;fill-opacity:.35}
            .stranded{fill:none;stroke:#b8860b;stroke-width:1.4;stroke-dasharray:3 2;vector-effect:non-scaling-stroke}
            .total{fill:none;stroke:#c0392b;stroke-width:1;stroke-dasharray:6 4;vector-effect:non-scaling-stroke}
            .chart .total-label{fill:#c0392b}.mark{stroke:#d4001a;stroke-width:2;vector-effect:non-scaling-stroke}
            .heat{shape-rendering:crispEdges}.heat path{fill:none;stroke-width:1}
            .legend{margin:0 0 8px;font-size:12px}.key{margin-left:8px;white-space:nowrap}
            .key i{display:inline-block;width:12px;height:12px;margin-right:3px;vertical-align:-2px;
            border:1px solid #bbb}
            .l0{fill:#f3f3f3;background:#f3f3f3}.l1{stroke:#deebf7;background:#deebf7}
            .l2{stroke:#c6dbef;background:#c6dbef}.l3{stroke:#9ecae1;background:#9ecae1}
            .l4{stroke:#6baed6;background:#6baed6}.l5{stroke:#4292c6;background:#4292c6}
            .l6{stroke:#2171b5;background:#2171b5}.l7{stroke:#08519c;background:#08519c}
            .l8{stroke:#08306b;background:#08306b}.lneg{stroke:#d4001a;background:#d4001a}
            """;

    private final String source;
    private final AuditResult result;
    private final Timeline timeline;
    private final List<PfSeries> charted;
    private final int unchartedPfs;
    private final List<ActorTally> actors;
    /** Section ids of the charted PFs, by {@code device/pf}. */
    private final Map<String, String> anchors = new HashMap<>();

    ReportPage(String source, AuditResult result, Timeline timeline, List<PfSeries> charted, int unchartedPfs,
               List<ActorTally> actors) {
        this.source = source;
        this.result = result;
        this.timeline = timeline;
        this.charted = charted;
        this.unchartedPfs = unchartedPfs;
        this.actors = actors;
        for (int i = 0; i < charted.size(); i++) {
            anchors.put(key(charted.get(i).device, charted.get(i).pf), "pf-" + i);
        }
    }

    void write(Writer out) throws IOException {
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>MSI-X audit: "
                + Html.escape(source) + "</title><style>\n" + STYLE + "</style></head><body>\n");
        out.write(summary());
        out.write(findings());
        out.write(actors());
        pools(out);
        out.write("</body></html>\n");
    }

    private String summary() {
        int count = result.findings().size();
        StringBuilder out = new StringBuilder();
        out.append("<header id=\"summary\"><h1>MSI-X audit of ").append(Html.escape(source)).append("</h1>\n");
        out.append(result.clean() ? "<p class=\"verdict clean\">clean: no findings</p>"
                : "<p class=\"verdict bad\">" + count + (count == 1 ? " finding" : " findings") + "</p>");
        out.append("<table class=\"summary\">");
        row(out, "source", Html.escape(source));
        row(out, "lines read", Long.toString(result.lines()));
        row(out, "events", Long.toString(result.events()));
        row(out, "devices", Integer.toString(result.devices()));
        row(out, "PFs", charted.size() + (unchartedPfs > 0 ? " charted, " + unchartedPfs + " more not charted" : ""));
        row(out, "actors", Integer.toString(actors.size()));
        long commands = actors.stream().mapToLong(ActorTally::commands).sum();
        row(out, "commands", Long.toString(commands));
        long first = actors.stream().mapToLong(ActorTally::firstMillis).min().orElse(Long.MAX_VALUE);
        long last = actors.stream().mapToLong(ActorTally::lastMillis).max().orElse(Long.MIN_VALUE);
        if (first <= last) {
            row(out, "first event", time(first) + " UTC");
            row(out, "last event", time(last) + " UTC");
        }
        Map<String, Integer> byRule = new TreeMap<>();
        result.findings().forEach(f -> byRule.merge(f.rule(), 1, Integer::sum));
        StringBuilder rules = new StringBuilder();
        byRule.forEach((rule, n) -> rules.append(rules.isEmpty() ? "" : ", ").append(Html.escape(rule)).append(": ")
                .append(n));
        row(out, "findings", count == 0 ? "none" : count + " (" + rules + ")");
        out.append("</table>\n<nav><a href=\"#findings\">Findings</a><a href=\"#actors\">Actors</a>"
                + "<a href=\"#pools\">Pools over time</a></nav></header>\n");
        return out.toString();
    }

    private String findings() {
        List<Finding> all = result.findings();
        StringBuilder out = new StringBuilder();
        out.append("<section id=\"findings\"><h2>Findings (").append(all.size()).append(")</h2>\n");
        if (all.isEmpty()) {
            return out.append("<p>None: the chain is intact, every decision could have been made, and the invariants"
                    + " hold after every event.</p></section>\n").toString();
        }
        out.append("<table class=\"findings\"><thead><tr><th>#</th><th>position</th><th>line</th><th>device</th>"
                + "<th>PF</th><th>rule</th><th>message</th></tr></thead><tbody>\n");
        for (int i = 0; i < Math.min(all.size(), MAX_FINDING_ROWS); i++) {
            Finding f = all.get(i);
            String anchor = f.device() == null || f.pf() == null ? null : anchors.get(key(f.device(), f.pf()));
            out.append("<tr><td class=\"n\">").append(i + 1).append("</td><td class=\"n\">")
                    .append(f.position() >= 0 ? Long.toString(f.position()) : "-").append("</td><td class=\"n\">")
                    .append(f.line() >= 0 ? Long.toString(f.line()) : "-").append("</td><td>").append(Html.escape(f.device())).append("</td><td>")
                    .append(anchor == null ? Html.escape(f.pf())
                            : "<a href=\"#" + anchor + "\">" + Html.escape(f.pf()) + "</a>")
                    .append("</td><td class=\"rule\">").append(Html.escape(f.rule())).append("</td><td class=\"msg\">")
                    .append(Html.escape(f.message())).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
        if (all.size() > MAX_FINDING_ROWS) {
            out.append("<p class=\"note\">The first ").append(MAX_FINDING_ROWS).append(" findings are listed; ")
                    .append(all.size() - MAX_FINDING_ROWS).append(" more are not.</p>\n");
        }
        return out.append("</section>\n").toString();
    }

    private String actors() {
        StringBuilder out = new StringBuilder();
        out.append("<section id=\"actors\"><h2>Actors (").append(actors.size()).append(")</h2>\n");
        out.append("<table class=\"actors\"><thead><tr><th>actor</th><th>commands</th><th>events</th>"
                + "<th>commands by kind</th><th>first seen (UTC)</th><th>last seen (UTC)</th></tr></thead><tbody>\n");
        for (int i = 0; i < Math.min(actors.size(), MAX_ACTOR_ROWS); i++) {
            ActorTally actor = actors.get(i);
            StringBuilder kinds = new StringBuilder();
            for (CommandKind kind : CommandKind.ALL) {
                if (actor.commandsOf(kind) > 0) {
                    kinds.append(kinds.isEmpty() ? "" : ", ").append(kind.label).append(" \u00d7 ")
                            .append(actor.commandsOf(kind));
                }
            }
            boolean seen = actor.firstMillis() <= actor.lastMillis();
            out.append("<tr><td class=\"actor\">").append(Html.escape(actor.actor)).append("</td><td class=\"n\">")
                    .append(actor.commands()).append("</td><td class=\"n\">").append(actor.events()).append("</td><td>")
                    .append(kinds).append("</td><td>").append(seen ? time(actor.firstMillis()) : "-")
                    .append("</td><td>").append(seen ? time(actor.lastMillis()) : "-").append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
        if (actors.size() > MAX_ACTOR_ROWS) {
            out.append("<p class=\"note\">The ").append(MAX_ACTOR_ROWS).append(" actors with the most commands are"
                    + " listed; ").append(actors.size() - MAX_ACTOR_ROWS).append(" more are not.</p>\n");
        }
        return out.append("</section>\n").toString();
    }

    private void pools(Writer out) throws IOException {
        out.write("<section id=\"pools\"><h2>Pools over time</h2>\n<p>Per PF: the free vectors (the line is the"
                + " count after the last event in each time slice, the band the lowest to the highest within it,"
                + " the dashed line the PF's total, red marks the findings), then the vectors held by each VF."
                + " Each time slice is " + Html.duration(timeline.widthMillis()) + ".</p>\n");
        if (charted.isEmpty()) {
            out.write("<p>No PF was provisioned in this log.</p>\n");
        }
        if (unchartedPfs > 0) {
            out.write("<p class=\"note\">" + unchartedPfs + " PFs seen after the first " + HtmlReport.MAX_PFS
                    + " are not charted.</p>\n");
        }
        Map<String, Integer> perPf = new HashMap<>();
        Map<String, Integer> perDevice = new HashMap<>();
        for (Finding f : result.findings()) {
            if (f.device() != null) {
                perDevice.merge(f.device(), 1, Integer::sum);
                if (f.pf() != null) {
                    perPf.merge(key(f.device(), f.pf()), 1, Integer::sum);
                }
            }
        }
        PfCharts charts = new PfCharts(timeline);
        String device = null;
        for (PfSeries series : charted) {
            StringBuilder section = new StringBuilder(16_384);
            if (!series.device.equals(device)) {
                device = series.device;
                int findings = perDevice.getOrDefault(device, 0);
                section.append("<h3 class=\"device\">Device ").append(Html.escape(device))
                        .append(findings == 0 ? "" : " <small>(" + plural(findings, "finding") + ")</small>")
                        .append("</h3>\n");
            }
            String key = key(series.device, series.pf);
            int findings = perPf.getOrDefault(key, 0);
            section.append("<section class=\"pf\" id=\"").append(anchors.get(key)).append("\"><h4>")
                    .append(Html.escape(series.device)).append(" / ").append(Html.escape(series.pf)).append("</h4>\n")
                    .append("<p class=\"facts\">").append(series.emulation()).append(", ")
                    .append(plural(series.vfCount, "VF")).append(", total ").append(series.msixTotal())
                    .append(" vectors, ").append(series.freeNow()).append(" free and ").append(series.strandedNow())
                    .append(" stranded after its last event")
                    .append(findings == 0 ? "" : ", <a href=\"#findings\">" + plural(findings, "finding") + "</a>")
                    .append(series.vfCountChanged() ? "; its VF count changed (provisioned again), the heatmap keeps"
                            + " the first one" : "").append("</p>\n");
            charts.draw(section, series);
            section.append("</section>\n");
            out.write(section.toString());
        }
        out.write("</section>\n");
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append("<tr><th>").append(name).append("</th><td>").append(value).append("</td></tr>");
    }

    private static String key(String device, String pf) {
        return device + "/" + pf;
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String time(long millis) {
        return TIME.format(Instant.ofEpochMilli(millis));
    }
}
