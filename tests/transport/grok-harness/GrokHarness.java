// Test-only harness: runs grok patterns through Elastic's grok engine (elasticsearch-grok, legacy pattern bank —
// the names Logstash's classic patterns use) over lines, the way Logstash's grok filter with a `match` array and
// break_on_match does: the first pattern that matches wins.
//
// stdin: a line with the number of pattern definitions, then each as NAME<TAB>PATTERN; a line with the number
// of match patterns, then each on its own line; then the log lines to the end.
// stdout, one line per log line: "-" when no pattern matched, else the index of the matching pattern followed
// by <TAB>name=value for each capture (tabs, newlines and backslashes in values escaped as \t, \n, \\).
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.elasticsearch.grok.Grok;
import org.elasticsearch.grok.GrokBuiltinPatterns;
import org.elasticsearch.grok.MatcherWatchdog;
import org.elasticsearch.grok.PatternBank;

public final class GrokHarness {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    int definitions = Integer.parseInt(in.readLine().trim());
    Map<String, String> extra = new LinkedHashMap<>();
    for (int i = 0; i < definitions; i++) {
      String[] kv = in.readLine().split("\t", 2);
      extra.put(kv[0], kv[1]);
    }
    PatternBank bank = GrokBuiltinPatterns.get(false).extendWith(extra);
    int patterns = Integer.parseInt(in.readLine().trim());
    List<Grok> groks = new ArrayList<>();
    for (int i = 0; i < patterns; i++) {
      groks.add(new Grok(bank, in.readLine(), MatcherWatchdog.noop(), msg -> System.err.println("grok: " + msg)));
    }
    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String result = "-";
      for (int i = 0; i < groks.size(); i++) {
        Map<String, Object> captures = groks.get(i).captures(line);
        if (captures == null) continue;
        StringBuilder sb = new StringBuilder().append(i);
        for (Map.Entry<String, Object> e : new TreeMap<>(captures).entrySet()) {
          if (e.getValue() == null) continue;
          sb.append('\t').append(e.getKey()).append('=').append(escape(String.valueOf(e.getValue())));
        }
        result = sb.toString();
        break;
      }
      out.write(result);
      out.write('\n');
    }
    out.flush();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
  }
}
