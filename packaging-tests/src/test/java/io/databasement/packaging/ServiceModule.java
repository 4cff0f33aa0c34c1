package io.databasement.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A Databasement service module as its own files describe it: the properties and {@code ${NAME:default}}
 * placeholders of its application.yml, its port, and the jar its pom builds.
 */
record ServiceModule(String name, Path dir, Map<String, Object> properties, Map<String, String> placeholders) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)(?::([^}]*))?}");
    private static final Pattern CONFIGURATION_PROPERTIES = Pattern.compile("@ConfigurationProperties\\(\"([^\"]+)\"\\)");
    private static final Pattern MAP_COMPONENT = Pattern.compile("Map<[^>]*>\\s+(\\w+)");

    /** Every reactor module that is a runnable service: it has an application.yml and Boot's repackaged jar. */
    static List<ServiceModule> all() {
        List<ServiceModule> out = new ArrayList<>();
        for (String module : Pom.modules(Repo.file("pom.xml"))) {
            Path dir = Repo.file(module);
            boolean bootJar = read(dir.resolve("pom.xml")).contains("<artifactId>spring-boot-maven-plugin</artifactId>");
            if (bootJar && Files.exists(dir.resolve("src/main/resources/application.yml"))) {
                out.add(of(module));
            }
        }
        return out;
    }

    static ServiceModule of(String module) {
        Path dir = Repo.file(module);
        Path yml = dir.resolve("src/main/resources/application.yml");
        Map<String, String> placeholders = new java.util.LinkedHashMap<>();
        Matcher m = PLACEHOLDER.matcher(read(yml));
        while (m.find()) {
            placeholders.put(m.group(1), m.group(2));
        }
        return new ServiceModule(module, dir, Yaml.flatten(Yaml.load(yml)), placeholders);
    }

    /** The port it listens on without SERVER_PORT: the default of {@code server.port: ${SERVER_PORT:NNNN}}. */
    int defaultPort() {
        Object port = properties.get("server.port");
        if (port instanceof Integer p) {
            return p;
        }
        Matcher m = PLACEHOLDER.matcher(String.valueOf(port));
        if (m.matches() && m.group(2) != null) {
            return Integer.parseInt(m.group(2));
        }
        throw new IllegalStateException(name + ": server.port has no default: " + port);
    }

    /**
     * Whether Spring hands this environment variable to the service: a placeholder names it, or its relaxed
     * form ({@code DBM_X_Y} = {@code dbm.x.y}, dashes ignored) is a property of application.yml, or an entry of a
     * map-valued {@code @ConfigurationProperties} component (e.g. {@code dbm.storage.encryption.keys.<id>}).
     */
    boolean reads(String variable) {
        if (placeholders.containsKey(variable)) {
            return true;
        }
        String relaxed = variable.toLowerCase(Locale.ROOT).replace('_', '.');
        if (properties.keySet().stream().anyMatch(key -> canonical(key).equals(relaxed))) {
            return true;
        }
        return mapPropertyPrefixes().stream().anyMatch(prefix -> relaxed.startsWith(prefix + ".")
                && relaxed.length() > prefix.length() + 1);
    }

    /** Dotted names of map components of the module's {@code @ConfigurationProperties} records, canonical form. */
    Set<String> mapPropertyPrefixes() {
        Set<String> out = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(dir.resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = read(file);
                Matcher annotation = CONFIGURATION_PROPERTIES.matcher(source);
                while (annotation.find()) {
                    int bodyStart = source.indexOf('{', annotation.end());
                    String header = source.substring(annotation.end(), bodyStart < 0 ? source.length() : bodyStart);
                    Matcher component = MAP_COMPONENT.matcher(header);
                    while (component.find()) {
                        out.add(canonical(annotation.group(1) + "." + component.group(1)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** {@code target/<artifactId>-<version>.jar}: what {@code mvn package} writes (no finalName, no classifier). */
    String jarName() {
        Document pom = Pom.parse(dir.resolve("pom.xml"));
        String artifactId = Pom.child(pom.getDocumentElement(), "artifactId");
        String version = Pom.child(pom.getDocumentElement(), "version");
        if (version == null) {
            version = Pom.child(Pom.element(pom.getDocumentElement(), "parent"), "version");
        }
        if (pom.getElementsByTagName("finalName").getLength() > 0 || pom.getElementsByTagName("classifier").getLength() > 0) {
            throw new IllegalStateException(name + ": the pom renames its jar (finalName/classifier): teach this test");
        }
        return artifactId + "-" + version + ".jar";
    }

    private static String canonical(String property) {
        return property.toLowerCase(Locale.ROOT).replace("-", "");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Just enough of a pom. */
    static final class Pom {

        private Pom() {
        }

        static Document parse(Path file) {
            try {
                DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                return factory.newDocumentBuilder().parse(file.toFile());
            } catch (Exception e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }

        static List<String> modules(Path rootPom) {
            List<String> out = new ArrayList<>();
            Element modules = element(parse(rootPom).getDocumentElement(), "modules");
            for (Node n = modules.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals("module")) {
                    out.add(e.getTextContent().trim());
                }
            }
            return out;
        }

        static String property(Path pom, String name) {
            return child(element(parse(pom).getDocumentElement(), "properties"), name);
        }

        static Element element(Element parent, String tag) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(tag)) {
                    return e;
                }
            }
            throw new IllegalStateException("no <" + tag + "> in <" + parent.getTagName() + ">");
        }

        static String child(Element parent, String tag) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(tag)) {
                    return e.getTextContent().trim();
                }
            }
            return null;
        }
    }
}
