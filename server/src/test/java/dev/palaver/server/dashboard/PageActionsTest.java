package dev.palaver.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.palaver.server.testing.SharedPalaverContext;

/** The pages' forms over real HTTP: saving agents, knowledge search, keys shown once, roles, CSRF, isolation. */
class PageActionsTest extends SharedPalaverContext {

    private DashboardData data;
    private PageClient owner;

    @BeforeEach
    void signIn() {
        data = DashboardData.create(context, http, "Charlie");
        owner = new PageClient(port);
        assertThat(owner.login(data.owner().email(), data.owner().password()).statusCode()).isEqualTo(302);
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String draftOf(String agentPage) {
        Matcher m = Pattern.compile("<textarea[^>]*id=\"definition\"[^>]*>(.*?)</textarea>", Pattern.DOTALL).matcher(agentPage);
        assertThat(m.find()).isTrue();
        return unescape(m.group(1));
    }

    @Test
    void anAgentsDefinitionSavesAsANewVersionAndBadDraftsShowTheValidatorsMessages() {
        String path = "/agents/" + data.agentId();
        String draft = draftOf(owner.get(path).body());
        HttpResponse<String> saved = owner.post(path, Map.of("definition", draft.replace("Charlie desk", "Charlie front desk"),
                "version", "1"), true);
        assertThat(saved.statusCode()).isEqualTo(302);
        assertThat(saved.headers().firstValue("Location").orElseThrow()).endsWith(path + "?saved=2");
        assertThat(owner.get(path).body()).contains("<h1>Charlie front desk</h1>");

        HttpResponse<String> stale = owner.post(path, Map.of("definition", draft, "version", "1"), true);
        assertThat(stale.statusCode()).isEqualTo(422);
        assertThat(unescape(stale.body())).contains("The agent is at version 2");

        HttpResponse<String> invalid = owner.post(path, Map.of("definition", "{\"name\": \"x\", \"brain\": \"flow\"}",
                "version", "2"), true);
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(invalid.body()).contains("role=\"alert\"").contains("<code>flow</code>");

        HttpResponse<String> check = owner.post(path + "/check", Map.of("definition", "{not json"), true);
        assertThat(check.statusCode()).isEqualTo(200);
        assertThat(check.body()).contains("This is not valid JSON").doesNotContain("<html");
        assertThat(owner.post(path + "/check", Map.of("definition", draft.replace("Charlie desk", "Charlie again")), true).body())
                .contains("The definition is valid.");
    }

    @Test
    void viewersSeeAgentsButCannotSaveThemNorOpenAdminPages() {
        PageClient viewer = new PageClient(port);
        viewer.login(data.viewer().email(), data.viewer().password());
        String path = "/agents/" + data.agentId();
        HttpResponse<String> page = viewer.get(path);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("readonly").doesNotContain("Save as a new version");
        HttpResponse<String> save = viewer.post(path, Map.of("definition", draftOf(page.body()), "version", "1"), true);
        assertThat(save.statusCode()).isEqualTo(403);
        assertThat(save.body()).contains("This needs the admin role or higher.");
        for (String admin : new String[] {"/api-keys", "/audit", "/settings"}) {
            assertThat(viewer.get(admin).statusCode()).as(admin).isEqualTo(403);
        }
    }

    @Test
    void aNewApiKeysSecretIsShownOnceAndWorks() {
        owner.get("/api-keys");
        HttpResponse<String> created = owner.post("/api-keys", Map.of("name", "dashboard-made", "scopes", "agents:read"), true);
        assertThat(created.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("id=\"new-secret\">([^<]+)<").matcher(created.body());
        assertThat(m.find()).isTrue();
        String secret = m.group(1);
        assertThat(http.get("/api/v1/agents", "Authorization", "Bearer " + secret).statusCode()).isEqualTo(200);
        assertThat(owner.get("/api-keys").body()).contains("dashboard-made").doesNotContain(secret);
    }

    @Test
    void knowledgeSearchFindsTheUploadedDocument() {
        String path = "/knowledge/" + data.knowledgeBaseId();
        owner.get(path);
        HttpResponse<String> r = owner.post(path + "/search", Map.of("query", "When are you open?"), true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Charlie-hours.md").contains("Monday to Friday");
    }

    @Test
    void phoneNumbersAreAddedRoutedAndRemovedByAdminsOnly() {
        owner.get("/phone-numbers");
        HttpResponse<String> added = owner.post("/phone-numbers", Map.of("number", "+1 (415) 555-0199",
                "agentId", data.agentId().toString()), true);
        assertThat(added.statusCode()).isEqualTo(302);
        String page = owner.get("/phone-numbers").body();
        assertThat(page).contains("+14155550199").contains(data.line());
        HttpResponse<String> bad = owner.post("/phone-numbers", Map.of("number", "not a number",
                "agentId", data.agentId().toString()), true);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("role=\"alert\"");
        Matcher remove = Pattern.compile("action=\"(/phone-numbers/[0-9a-f-]{36}/delete)\"").matcher(page);
        assertThat(remove.find()).isTrue();
        PageClient viewer = new PageClient(port);
        viewer.login(data.viewer().email(), data.viewer().password());
        assertThat(viewer.get("/phone-numbers").body()).contains("+14155550199").doesNotContain("Add a number");
        assertThat(viewer.post(remove.group(1), Map.of(), true).statusCode()).isEqualTo(403);
        assertThat(owner.post(remove.group(1), Map.of(), true).statusCode()).isEqualTo(302);
    }

    @Test
    void adminsRemoveMembersAndKnowledgeBases() {
        owner.get("/members");
        HttpResponse<String> removed = owner.post("/members/" + data.viewer().userId() + "/remove", Map.of(), true);
        assertThat(removed.statusCode()).isEqualTo(302);
        assertThat(owner.get("/members").body()).doesNotContain(data.viewer().email());
        PageClient gone = new PageClient(port);
        assertThat(gone.login(data.viewer().email(), data.viewer().password()).statusCode()).isEqualTo(401);

        owner.get("/knowledge/" + data.knowledgeBaseId());
        assertThat(owner.post("/knowledge/" + data.knowledgeBaseId() + "/delete", Map.of(), true).statusCode()).isEqualTo(302);
        assertThat(owner.get("/knowledge/" + data.knowledgeBaseId()).statusCode()).isEqualTo(404);
    }

    @Test
    void htmxRequestsCarryTheCsrfTokenInAHeader() {
        String path = "/knowledge/" + data.knowledgeBaseId();
        owner.get(path);
        HttpResponse<String> r = owner.postHtmx(path + "/search", Map.of("query", "When are you open?"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Monday to Friday");
    }

    @Test
    void formPostsWithoutTheCsrfTokenAreRefused() {
        owner.get("/api-keys");
        assertThat(owner.post("/api-keys", Map.of("name", "csrf-less", "scopes", "agents:read"), false).statusCode()).isEqualTo(403);
        assertThat(owner.get("/api-keys").body()).doesNotContain("csrf-less");
        assertThat(owner.post("/knowledge/" + data.knowledgeBaseId() + "/search", Map.of("query", "open"), false).statusCode())
                .isEqualTo(403);
    }

    @Test
    void anotherOrganizationsIdsAreNotFoundForActionsToo() {
        DashboardData other = DashboardData.create(context, http, "Delta");
        owner.get("/");
        assertThat(owner.get("/agents/" + other.agentId()).statusCode()).isEqualTo(404);
        assertThat(owner.post("/agents/" + other.agentId() + "/check", Map.of("definition", "{}"), true).statusCode()).isEqualTo(404);
        assertThat(owner.post("/knowledge/" + other.knowledgeBaseId() + "/search", Map.of("query", "open"), true).statusCode())
                .isEqualTo(404);
        HttpResponse<String> list = owner.get("/knowledge");
        assertThat(list.body()).contains("Charlie handbook").doesNotContain("Delta");
    }
}
