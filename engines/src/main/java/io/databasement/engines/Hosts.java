package io.databasement.engines;

import java.util.regex.Pattern;

/**
 * A host and port fit to put into a JDBC URL. The host is spliced into {@code jdbc:...://host:port/}, so
 * anything that could end the authority ('/', '?', '&', '#', '@', spaces) would let a server definition
 * smuggle driver options (socket factories, SSL settings) into the URL: such hosts are refused.
 */
final class Hosts {

    /** Names, IPv4, and IPv6 literals (with an optional zone id). */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?");

    static void check(Endpoint endpoint) throws EngineException {
        String host = endpoint.host();
        if (host == null || host.isEmpty() || host.length() > 253 || !HOST.matcher(host).matches() || host.startsWith("-")) {
            throw new EngineException("invalid host \"" + host + "\": use a DNS name or an IP address");
        }
        if (endpoint.port() < 1 || endpoint.port() > 65535) {
            throw new EngineException("invalid port " + endpoint.port() + ": use 1-65535");
        }
    }

    /** The host as it appears in a URL: IPv6 literals in brackets. */
    static String forUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private Hosts() {
    }
}
