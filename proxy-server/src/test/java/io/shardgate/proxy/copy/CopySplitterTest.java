package io.shardgate.proxy.copy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CopySplitterTest {
    private static List<String> split(CopySplitter s, String input, int chunk) {
        List<String> out = new ArrayList<>();
        byte[] b = input.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i += chunk) {
            s.feed(Arrays.copyOfRange(b, i, Math.min(b.length, i + chunk)),
                    (row, key) -> out.add(key + "|" + new String(row, StandardCharsets.UTF_8)));
        }
        s.finish((row, key) -> out.add(key + "|" + new String(row, StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void textRowsWhateverTheChunking() {
        String in = "1\tann\n2\tb\\tob\n\\N\tnull key\n3\tlast\n\\.\n";
        for (int chunk = 1; chunk <= in.length(); chunk++) {
            List<String> rows = split(new CopySplitter(false, '\t', false, 0), in, chunk);
            assertEquals(List.of("1|1\tann\n", "2|2\tb\\tob\n", "null|\\N\tnull key\n", "3|3\tlast\n"), rows);
        }
        assertEquals(List.of("b\tob|2\tb\\tob\n"), split(new CopySplitter(false, '\t', false, 1), "2\tb\\tob\n", 3));
    }

    @Test
    void csvWithQuotesNewlinesAndHeader() {
        String in = "id,name\n1,\"a,b\"\n\"2\",\"multi\nline \"\"q\"\"\"\n,empty\n";
        for (int chunk = 1; chunk <= 7; chunk++) {
            CopySplitter s = new CopySplitter(true, ',', true, 0);
            List<String> rows = split(s, in, chunk);
            assertEquals(List.of("1|1,\"a,b\"\n", "2|\"2\",\"multi\nline \"\"q\"\"\"\n", "null|,empty\n"), rows);
            assertEquals("id,name\n", new String(s.header(), StandardCharsets.UTF_8));
        }
        assertEquals(List.of("multi\nline \"q\"|\"2\",\"multi\nline \"\"q\"\"\"\n"),
                split(new CopySplitter(true, ',', false, 1), "\"2\",\"multi\nline \"\"q\"\"\"\n", 2));
    }
}
