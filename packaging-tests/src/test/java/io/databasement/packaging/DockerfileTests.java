package io.databasement.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each service module's Dockerfile (and .dockerignore), read against its pom, application.yml and the engines. */
class DockerfileTests {

    private static final Pattern HEALTH_URL =
            Pattern.compile("http://(?:127\\.0\\.0\\.1|localhost):(?:\\$\\{SERVER_PORT:-)?(\\d+)}?/actuator/health\\b");
    /** The engines' hints name the packages that hold their tools: "install postgresql-client-15 or newer". */
    private static final Pattern INSTALL_HINT = Pattern.compile("install ([a-z]+-client)(-\")?");
    private static final Pattern PG_CLIENT = Pattern.compile("\\bpostgresql-client-(\\d+)\\b");
    private static final Pattern POSTGRES_IMAGE = Pattern.compile("postgres:(\\d+)");
    private static final Pattern PG_CLIENT_DIRS = Pattern.compile("DEFAULT_CLIENT_DIRS\\s*=\\s*\"([^\"]+)\"");

    private final List<ServiceModule> modules = ServiceModule.all();

    @Test
    void everyServiceModuleHasADockerfileOnTheProjectsJavaRelease() {
        assertThat(modules).hasSize(5);
        String java = ServiceModule.Pom.property(Repo.file("pom.xml"), "java.version");
        for (ServiceModule module : modules) {
            assertThat(dockerfile(module).instructions().get(0).keyword()).isEqualTo("FROM");
            assertThat(dockerfile(module).all("FROM")).as(module.name()).containsExactly("eclipse-temurin:" + java + "-jre");
        }
    }

    @Test
    void runsAsANonRootUser() {
        for (ServiceModule module : modules) {
            String user = dockerfile(module).last("USER");
            assertThat(user).as(module.name() + " USER").isNotNull();
            String who = user.split(":")[0];
            assertThat(who).as(module.name() + " USER").isNotIn("root", "0");
            // USER comes after every RUN: nothing installs as that user, nothing runs as root afterwards
            List<Dockerfile.Instruction> all = dockerfile(module).instructions();
            int userAt = lastIndex(all, "USER");
            assertThat(all.subList(userAt, all.size())).as(module.name()).noneMatch(i -> i.keyword().equals("RUN"));
        }
    }

    @Test
    void exposesAndProbesThePortOfItsApplicationYml() {
        for (ServiceModule module : modules) {
            Dockerfile file = dockerfile(module);
            assertThat(file.all("EXPOSE")).as(module.name()).containsExactly(Integer.toString(module.defaultPort()));
            String healthcheck = file.last("HEALTHCHECK");
            assertThat(healthcheck).as(module.name() + " HEALTHCHECK").isNotNull().contains("CMD ").contains("curl -f");
            Matcher url = HEALTH_URL.matcher(healthcheck);
            assertThat(url.find()).as(module.name() + " probes /actuator/health: " + healthcheck).isTrue();
            assertThat(Integer.parseInt(url.group(1))).as(module.name()).isEqualTo(module.defaultPort());
            // curl is on the image because it is installed, not by luck of the base image
            assertThat(String.join("\n", file.all("RUN"))).as(module.name()).containsPattern("apt-get install [^;&]*\\bcurl\\b");
        }
    }

    @Test
    void copiesTheJarItsModuleBuildsAndTheBuildContextSendsIt() {
        for (ServiceModule module : modules) {
            Dockerfile file = dockerfile(module);
            String jar = "target/" + module.jarName();
            List<String> copies = file.all("COPY").stream().map(file::expand).toList();
            assertThat(copies).as(module.name()).anyMatch(c -> c.split("\\s+")[0].equals(jar));
            assertThat(file.last("ENTRYPOINT")).as(module.name()).contains("-jar");
            assertThat(ignored(module.dir(), jar)).as(module.name() + " .dockerignore lets " + jar + " through").isFalse();
            assertThat(ignored(module.dir(), "src/main/java/Anything.java")).as(module.name() + " sends only the jar").isTrue();
        }
    }

    @Test
    void workersInstallEveryClientTheEnginesRun() {
        Set<String> hinted = installHints();
        assertThat(hinted).containsExactlyInAnyOrder("postgresql-client", "mariadb-client");

        List<Set<Integer>> majorsPerWorker = new ArrayList<>();
        for (String worker : List.of("backup-worker", "restore-worker")) {
            String install = installs(dockerfile(ServiceModule.of(worker)));
            for (String pkg : hinted) {
                if (pkg.equals("postgresql-client")) {
                    Set<Integer> majors = new TreeSet<>();
                    Matcher m = PG_CLIENT.matcher(install);
                    while (m.find()) {
                        majors.add(Integer.parseInt(m.group(1)));
                    }
                    assertThat(majors).as(worker + " PostgreSQL client majors").isNotEmpty();
                    majorsPerWorker.add(majors);
                } else {
                    assertThat(install).as(worker).containsPattern("\\b" + Pattern.quote(pkg) + "\\b");
                }
            }
            assertThat(String.join("\n", dockerfile(ServiceModule.of(worker)).all("RUN")))
                    .as(worker + ": PGDG, since the distribution has one major").contains("apt.postgresql.org");
        }
        assertThat(majorsPerWorker.get(1)).as("both workers have the same clients").isEqualTo(majorsPerWorker.get(0));

        TreeSet<Integer> majors = new TreeSet<>(majorsPerWorker.get(0));
        assertThat(majors.last() - majors.first() + 1).as("every major from the oldest to the newest: " + majors)
                .isEqualTo(majors.size());
        // pg_dump refuses a server newer than itself: the newest client must cover every PostgreSQL compose runs
        Matcher image = POSTGRES_IMAGE.matcher(ServiceModule.read(Compose.file()));
        int images = 0;
        while (image.find()) {
            assertThat(majors.last()).as("newest client vs " + image.group()).isGreaterThanOrEqualTo(Integer.parseInt(image.group(1)));
            images++;
        }
        assertThat(images).isPositive();
    }

    @Test
    void postgresClientsLandWhereTheEnginesLookForThem() {
        Matcher m = PG_CLIENT_DIRS.matcher(ServiceModule.read(
                Repo.file("engines/src/main/java/io/databasement/engines/PostgresEngine.java")));
        assertThat(m.find()).isTrue();
        // Debian's postgresql-client-N installs /usr/lib/postgresql/N/bin/pg_dump
        assertThat(FileSystems.getDefault().getPathMatcher("glob:" + m.group(1)).matches(Path.of("/usr/lib/postgresql/17/bin")))
                .as("engines' default DBM_PG_CLIENT_DIRS " + m.group(1)).isTrue();
        for (String worker : List.of("backup-worker", "restore-worker")) {
            Dockerfile file = dockerfile(ServiceModule.of(worker));
            assertThat(String.join("\n", file.all("ENV"))).as(worker + " keeps the default client dirs")
                    .doesNotContain("DBM_PG_CLIENT_DIRS").doesNotContain("DBM_MYSQL_CLIENT_DIRS");
        }
    }

    private static Dockerfile dockerfile(ServiceModule module) {
        return Dockerfile.read(module.dir().resolve("Dockerfile"));
    }

    /** The package lists of every apt-get install of the image. */
    private static String installs(Dockerfile file) {
        StringBuilder out = new StringBuilder();
        Matcher m = Pattern.compile("apt-get install ([^;&]*)").matcher(String.join("\n", file.all("RUN")));
        while (m.find()) {
            out.append(m.group(1)).append('\n');
        }
        return out.toString();
    }

    private static Set<String> installHints() {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Repo.file("engines/src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = INSTALL_HINT.matcher(ServiceModule.read(file));
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** .dockerignore semantics: the last matching pattern decides, "!" lets a path through again. */
    private static boolean ignored(Path context, String path) {
        Path ignoreFile = context.resolve(".dockerignore");
        if (!Files.exists(ignoreFile)) {
            return false;
        }
        boolean ignored = false;
        for (String raw : ServiceModule.read(ignoreFile).split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean include = line.startsWith("!");
            String pattern = include ? line.substring(1) : line;
            if (FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(path))
                    || FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(path).getName(0))) {
                ignored = !include;
            }
        }
        return ignored;
    }

    private static int lastIndex(List<Dockerfile.Instruction> all, String keyword) {
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).keyword().equals(keyword)) {
                return i;
            }
        }
        return -1;
    }
}
