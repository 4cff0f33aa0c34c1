package io.databasement.engines;

import java.util.List;
import java.util.Map;

/**
 * A native tool to run: its argument list (never a shell string) and extra environment (passwords live
 * here, e.g. {@code PGPASSWORD} / {@code MYSQL_PWD}, never on the command line).
 *
 * @param toolVersion the tool's own version line, e.g. {@code pg_dump (PostgreSQL) 15.20}
 */
public record ToolInvocation(List<String> command, Map<String, String> environment, String toolVersion) {

    public ToolInvocation {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    @Override
    public String toString() {
        return "ToolInvocation[command=" + command + ", environment=" + environment.keySet() + ", toolVersion=" + toolVersion + "]";
    }
}
