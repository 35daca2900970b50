package io.shardgate.config;

import java.util.List;

/**
 * A configuration that cannot be used. Carries every problem found, each naming the key path at fault and
 * what to do, so that one run of {@code shardgate check-config} shows them all.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(format(source, problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(String source, List<String> problems) {
        StringBuilder sb = new StringBuilder("shardgate configuration ").append(source).append(" has ")
                .append(problems.size()).append(problems.size() == 1 ? " problem:" : " problems:");
        for (String p : problems) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }
}
