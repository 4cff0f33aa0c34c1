package io.databasement.storage.volume;

import io.databasement.contracts.ObjectKeys;
import io.databasement.storage.web.FieldViolation;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The checks of a volume request that depend on its type; each failure names its field. */
final class VolumeRequestRules {

    private static final java.util.regex.Pattern BUCKET = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final java.util.regex.Pattern REGION = java.util.regex.Pattern.compile("[a-z0-9-]{1,64}");

    static List<FieldViolation> check(VolumeRequest request) {
        List<FieldViolation> errors = new ArrayList<>();
        if ("local".equals(request.type())) {
            checkPath(request.path(), errors);
        } else if ("s3".equals(request.type())) {
            checkEndpoint("endpoint", request.endpoint(), errors);
            if (!blank(request.publicEndpoint())) {
                checkEndpoint("publicEndpoint", request.publicEndpoint(), errors);
            }
            if (blank(request.bucket())) {
                errors.add(new FieldViolation("bucket", "must not be blank"));
            } else if (!BUCKET.matcher(request.bucket()).matches() || request.bucket().contains("..")) {
                errors.add(new FieldViolation("bucket", "is not a valid S3 bucket name (3-63 of a-z, 0-9, '.', '-')"));
            }
            if (!blank(request.region()) && !REGION.matcher(request.region()).matches()) {
                errors.add(new FieldViolation("region", "is not a region name such as us-east-1"));
            }
            if (blank(request.accessKey())) {
                errors.add(new FieldViolation("accessKey", "must not be blank"));
            } else if (request.accessKey().length() > 128) {
                errors.add(new FieldViolation("accessKey", "must be at most 128 characters"));
            }
            if (blank(request.secretKey())) {
                errors.add(new FieldViolation("secretKey", "must not be blank"));
            }
            checkPrefix(request.prefix(), errors);
        }
        return errors;
    }

    /** The prefix as stored: no leading or trailing '/', empty for the bucket root. */
    static String normalizedPrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String p = prefix.trim();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static void checkPath(String path, List<FieldViolation> errors) {
        if (blank(path)) {
            errors.add(new FieldViolation("path", "must not be blank"));
            return;
        }
        try {
            Path p = Path.of(path);
            if (!p.isAbsolute()) {
                errors.add(new FieldViolation("path", "must be an absolute path"));
            } else if (path.contains("\0") || !p.equals(p.normalize()) || containsDotSegment(path)) {
                errors.add(new FieldViolation("path", "must be normalized (no '.' or '..' segments)"));
            }
        } catch (InvalidPathException e) {
            errors.add(new FieldViolation("path", "is not a valid path"));
        }
    }

    private static boolean containsDotSegment(String path) {
        for (String segment : path.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static void checkEndpoint(String field, String endpoint, List<FieldViolation> errors) {
        if (blank(endpoint)) {
            errors.add(new FieldViolation(field, "must not be blank"));
            return;
        }
        try {
            URI uri = new URI(endpoint);
            boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            boolean bare = uri.getUserInfo() == null && uri.getQuery() == null && uri.getFragment() == null
                    && (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"));
            if (!web || uri.getHost() == null || !bare) {
                errors.add(new FieldViolation(field, "must be an http(s) URL such as https://s3.example.com:9000 (no path, credentials or query)"));
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldViolation(field, "is not a valid URL"));
        }
    }

    private static void checkPrefix(String prefix, List<FieldViolation> errors) {
        if (prefix == null || prefix.isEmpty()) {
            return;
        }
        if (prefix.startsWith("/")) {
            errors.add(new FieldViolation("prefix", "must not start with '/'"));
            return;
        }
        String normalized = normalizedPrefix(prefix);
        if (normalized.isEmpty()) {
            return;
        }
        try {
            ObjectKeys.validate(normalized);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldViolation("prefix", e.getMessage().replace("object key", "prefix")));
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private VolumeRequestRules() {
    }
}
