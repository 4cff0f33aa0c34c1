package io.databasement.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.databasement.devstack.TestInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Issue 6's web console in a real browser against the real system: an admin registers a server and a volume,
 * takes a snapshot, restores it into a new database through the restore dialog and watches it finish, then
 * deletes the snapshot; the console also works with the keyboard alone, and a viewer is offered no changes.
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String SOURCE = "dbm_it_ui_src_" + SUFFIX;
    private static final String TARGET = "dbm_it_ui_restored_" + SUFFIX;
    private static final int ROWS = 500;

    private Api api;
    private ConsoleBrowser browser;
    private Path volumeDir;
    private final List<String> toDrop = new ArrayList<>();

    @BeforeAll
    void setUp() throws Exception {
        ConsoleBrowser.assumeInstalled();
        api = Stack.get().api();
        volumeDir = Files.createTempDirectory("dbm-sys-console-");
        Stack.createPostgresDatabase(SOURCE);
        toDrop.add(SOURCE);
        try (Connection c = Stack.postgres(SOURCE); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, total numeric(10,2))");
            s.execute("INSERT INTO orders SELECT g, 'customer ' || g, g * 1.25 FROM generate_series(1, " + ROWS + ") g");
        }
        browser = ConsoleBrowser.start(api.baseUrl());
    }

    @AfterAll
    void tearDown() {
        if (browser != null) {
            browser.close();
        }
        toDrop.forEach(Stack::dropPostgresDatabase);
    }

    @Test
    @Order(1)
    void adminSnapshotsRestoresAndDeletesThroughTheConsole() throws Exception {
        browser.openSignedOut();
        browser.screenshot("login");
        browser.signIn(Stack.ADMIN_TOKEN, "admin");

        String server = "ui-pg-" + SUFFIX;
        browser.go("/servers", "Servers");
        browser.button("Add server").click();
        WebElement dialog = browser.dialog();
        var pg = TestInfrastructure.postgres();
        browser.fill(dialog, "Name", server);
        browser.choose(dialog, "Engine", "PostgreSQL");
        browser.fill(dialog, "Host", "127.0.0.1");
        browser.fill(dialog, "Port", Integer.toString(pg.port()));
        browser.fill(dialog, "User", pg.user());
        if (pg.password() != null && !pg.password().isEmpty()) {
            browser.fill(dialog, "Password", pg.password());
        }
        browser.button(dialog, "Create").click();
        browser.awaitNoDialog();
        browser.row("tr[data-name='" + server + "']");
        browser.screenshot("servers");

        String volume = "ui-vol-" + SUFFIX;
        browser.go("/volumes", "Volumes");
        browser.button("Add volume").click();
        dialog = browser.dialog();
        browser.fill(dialog, "Name", volume);
        browser.choose(dialog, "Type", "Local folder");
        browser.fill(dialog, "Folder", volumeDir.toString());
        browser.button(dialog, "Create").click();
        browser.awaitNoDialog();
        browser.row("tr[data-name='" + volume + "']");
        browser.screenshot("volumes");

        String schedule = "ui-nightly-" + SUFFIX;
        browser.go("/schedules", "Schedules");
        browser.button("New schedule").click();
        dialog = browser.dialog();
        browser.fill(dialog, "Name", schedule);
        browser.choose(dialog, "Server", server + " ");
        browser.fill(dialog, "Databases", SOURCE);
        browser.choose(dialog, "Volume", volume + " ");
        browser.fill(dialog, "Cron", "0 3 * * *");
        browser.choose(dialog, "Retention", "Keep the last N");
        browser.fill(dialog, "Snapshots to keep", "7");
        browser.labelled(dialog, "Enabled").click(); // a disabled schedule: it must not fire during the run
        browser.button(dialog, "Create").click();
        browser.awaitNoDialog();
        assertThat(browser.row("tr[data-name='" + schedule + "']").getText()).contains("last 7").contains("DISABLED");
        browser.screenshot("schedules");

        browser.go("/snapshots", "Snapshots");
        browser.button("Take snapshot").click();
        dialog = browser.dialog();
        browser.choose(dialog, "Server", server + " ");
        browser.fill(dialog, "Database", SOURCE);
        browser.choose(dialog, "Volume", volume + " ");
        browser.choose(dialog, "Compression", "gzip");
        browser.button(dialog, "Take snapshot").click();
        browser.awaitNoDialog();
        String snapshotRow = "tr[data-database='" + SOURCE + "']";
        browser.row(snapshotRow);
        browser.await().withTimeout(Duration.ofSeconds(120))
                .until(d -> "COMPLETED".equals(browser.statusOf(snapshotRow)));
        String snapshotId = browser.row(snapshotRow).getDomAttribute("data-snapshot-id");
        browser.screenshot("snapshots");

        browser.row(snapshotRow).findElement(By.tagName("a")).click();
        browser.heading(server + " / " + SOURCE);
        assertThat(browser.driver().findElement(By.cssSelector("[data-testid=checksum]")).getText()).matches("[0-9a-f]{64}");
        assertThat(browser.driver().findElement(By.cssSelector("[data-testid=path]")).getText())
                .startsWith(volumeDir.toString()).endsWith(".sql.gz");
        assertThat(browser.driver().findElement(By.id("page")).getText())
                .contains("PostgreSQL 15").contains("Compression ratio").contains("1 tables, " + ROWS + " rows");
        browser.screenshot("snapshot-details");

        browser.button("Restore").click();
        dialog = browser.dialog();
        assertThat(dialog.findElement(By.id("mode-other-db")).isSelected()).isTrue();
        // the source database exists: without the overwrite confirmation the server refuses, and says why
        browser.fill(dialog, "Target database", SOURCE);
        browser.button(dialog, "Start Restore").click();
        WebElement refusal = browser.await().until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(
                dialog, By.cssSelector("[data-testid=alert]"))).get(0);
        assertThat(refusal.getText()).contains("409").contains("This will overwrite all current data in the target database!");
        browser.screenshot("restore-dialog-refused");
        browser.fill(dialog, "Target database", TARGET);
        toDrop.add(TARGET);
        browser.button(dialog, "Start Restore").click();
        browser.awaitNoDialog();

        browser.heading("Restores");
        String restoreRow = "tr[data-database='" + TARGET + "']";
        browser.row(restoreRow);
        AtomicBoolean barSeen = new AtomicBoolean();
        browser.await().withTimeout(Duration.ofSeconds(120)).until(d -> {
            barSeen.compareAndSet(false, !d.findElements(By.cssSelector(restoreRow + " [role=progressbar]")).isEmpty());
            return "COMPLETED".equals(browser.statusOf(restoreRow));
        });
        WebElement bar = browser.row(restoreRow + " [role=progressbar]");
        assertThat(barSeen).isTrue();
        assertThat(bar.getDomAttribute("aria-valuenow")).isEqualTo("100");
        browser.screenshot("restores");

        try (Connection c = Stack.postgres(TARGET); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*), sum(total), max(customer) FROM orders")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(ROWS);
            assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("156562.50");
            assertThat(rs.getString(3)).isEqualTo("customer 99");
        }

        browser.go("/snapshots/" + snapshotId, server + " / " + SOURCE);
        browser.button("Delete").click();
        dialog = browser.dialog();
        assertThat(dialog.getText()).contains("Delete snapshot?").contains("cannot be undone");
        browser.screenshot("delete-confirmation");
        browser.button(dialog, "Delete snapshot").click();
        browser.awaitNoDialog();
        browser.heading("Snapshots");
        browser.await().withTimeout(Duration.ofSeconds(60)).until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("tr[data-snapshot-id='" + snapshotId + "']"), 0));
        browser.screenshot("snapshot-deleted");
        assertThat(api.get("/api/v1/snapshots/" + snapshotId).status()).isEqualTo(404);

        // the restore outlives its snapshot: its row stays, saying the snapshot is gone
        browser.go("/restores", "Restores");
        assertThat(browser.row(restoreRow).getText()).contains("deleted").contains(TARGET);
        assertThat(browser.driver().findElements(By.cssSelector(".alert, [role=alert]")))
                .noneMatch(WebElement::isDisplayed);
        browser.screenshot("restores-after-delete");
    }

    @Test
    @Order(2)
    void signInAndOpeningADialogWorkWithTheKeyboardAlone() {
        Flows flows = new Flows(api);
        flows.postgresServer("kb-pg-" + SUFFIX);
        flows.localVolume("kb-vol-" + SUFFIX, volumeDir);

        browser.openSignedOut();
        assertThat(browser.active().getDomAttribute("id")).isEqualTo("token");
        browser.active().sendKeys(Stack.ADMIN_TOKEN);
        browser.tabTo("Sign in", 3);
        browser.press(Keys.ENTER);
        browser.heading("Snapshots");

        WebElement take = browser.tabTo("Take snapshot", 40);
        assertThat(browser.script("return getComputedStyle(document.activeElement).outlineStyle")).isNotEqualTo("none");
        browser.press(Keys.ENTER);
        browser.dialog();
        assertThat((Boolean) browser.script("return document.querySelector('dialog[open]').contains(document.activeElement)")).isTrue();
        browser.screenshot("keyboard-dialog");
        browser.press(Keys.ESCAPE);
        browser.awaitNoDialog();
        assertThat(browser.active()).isEqualTo(take);
    }

    @Test
    @Order(3)
    void aViewerIsOfferedNoChanges() {
        Flows flows = new Flows(api);
        String server = flows.postgresServer("viewer-pg-" + SUFFIX);
        String volume = flows.localVolume("viewer-vol-" + SUFFIX, volumeDir);
        String snapshotId = flows.snapshotAndWait(server, SOURCE, volume, null).path("id").asString();

        browser.signIn(Stack.ADMIN_TOKEN, "admin");
        browser.go("/tokens", "API tokens");
        browser.button("New token").click();
        WebElement dialog = browser.dialog();
        browser.fill(dialog, "Name", "ui-viewer-" + SUFFIX);
        browser.choose(dialog, "Role", "viewer");
        browser.button(dialog, "Create").click();
        WebElement secret = browser.row("dialog[open] [data-testid=secret]");
        String token = secret.getText();
        assertThat(token).startsWith("dbm_");
        assertThat(browser.button(browser.dialog(), "Copy").isDisplayed()).isTrue();
        browser.screenshot("token-created");
        browser.button(browser.dialog(), "Done").click();
        browser.awaitNoDialog();
        assertThat(browser.row("tr[data-name='ui-viewer-" + SUFFIX + "']").getText()).contains("VIEWER").doesNotContain(token);
        browser.screenshot("tokens");

        browser.signIn(token, "viewer");
        browser.heading("Snapshots");
        assertThat(browser.hasButton("Take snapshot")).isFalse();
        assertThat(browser.driver().findElement(By.cssSelector("[data-nav=tokens]")).isDisplayed()).isFalse();

        browser.go("/snapshots/" + snapshotId, "viewer-pg-" + SUFFIX + " / " + SOURCE);
        browser.button("Download");
        assertThat(browser.hasButton("Delete")).isFalse();
        assertThat(browser.hasButton("Restore")).isFalse();
        assertThat(browser.hasButton("Lock")).isFalse();
        browser.screenshot("viewer-snapshot-details");
    }
}
