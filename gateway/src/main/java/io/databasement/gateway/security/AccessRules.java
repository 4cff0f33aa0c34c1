package io.databasement.gateway.security;

import org.springframework.http.HttpMethod;

/**
 * The role each public call needs. Reading is for viewers, except tokens and the audit trail; snapshots,
 * restores and schedules are changed by operators; servers, volumes and tokens by admins. A path this
 * table does not know needs a viewer, so an unknown route still answers 404 to any valid token and never
 * anything to an anonymous one.
 */
final class AccessRules {

    static Role required(HttpMethod method, String path) {
        String collection = collection(path);
        boolean reads = HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method);
        return switch (collection) {
            case "tokens", "audit" -> Role.ADMIN;
            case "servers", "volumes" -> reads ? Role.VIEWER : Role.ADMIN;
            case "snapshots", "restores", "schedules" -> reads ? Role.VIEWER : Role.OPERATOR;
            default -> reads ? Role.VIEWER : Role.OPERATOR;
        };
    }

    /** {@code servers} of {@code /api/v1/servers/123/test}; empty for anything else. */
    static String collection(String path) {
        String prefix = "/api/v1/";
        if (!path.startsWith(prefix)) {
            return "";
        }
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private AccessRules() {
    }
}
