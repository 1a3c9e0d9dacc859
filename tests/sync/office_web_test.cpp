// The head-office web application's API over real HTTP on 127.0.0.1: sign-in, sessions, CSRF,
// roles enforced on the server for every record, photo and page, and the audit of each view.
#include <gtest/gtest.h>
#include <httplib.h>
#include <zip.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

#include "sync/client/http_client.h"
#include "sync/protocol/consultation.h"
#include "sync/protocol/enrolment_code.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/sha256.h"
#include "sync/server/office_accounts.h"
#include "tests/support/sample_records.h"
#include "tests/support/test_server.h"

namespace smp::server {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "correct horse battery";

class OfficeWebTest : public ::testing::TestWithParam<test::Backend> {
 protected:
  std::atomic<std::int64_t> now{1'800'000'000};
  test::TestServer server{[this] {
                            ServerOptions o;
                            o.officeClock = [this] { return now.load(); };
                            return o;
                          }(),
                          GetParam()};
  OfficeAccounts accounts{server.storage(), [this] { return now.load(); }};
  NewKiosk leeds = server.storage().addKiosk("Leeds");
  NewKiosk york = server.storage().addKiosk("York");

  void SetUp() override {
    accounts.addUser("ada", OfficeRole::kAdmin, {}, kPassword);
    accounts.addUser("ana.lyst", OfficeRole::kAnalyst, {}, kPassword);
    accounts.addUser("lee", OfficeRole::kClinicManager, {"Leeds"}, kPassword);
  }

  // A consultation sent by a kiosk through the real sync API; returns its id and photo hash.
  std::pair<std::string, std::string> send(const NewKiosk& kiosk, const std::string& name,
                                           const std::string& photo, std::int64_t seq,
                                           json intake = json::object()) {
    sync::HttpClient http;
    auto r = test::recordNaming(photo, seq);
    r.clientName = name;
    r.intake = std::move(intake);
    const std::string sha = protocol::sha256Hex(photo);
    EXPECT_EQ(http.request("PUT", server.url() + "/v1/blobs/" + sha, kiosk.token, photo).status,
              200);
    EXPECT_EQ(http.request("PUT", server.url() + "/v1/consultations/" + r.id, kiosk.token,
                           r.toJson().dump())
                  .status,
              201);
    return {r.id, sha};
  }

  httplib::Client client() {
    httplib::Client c("127.0.0.1", server.port());
    c.set_connection_timeout(5);
    c.set_read_timeout(10);
    return c;
  }

  struct Session {
    std::string cookie;  // "smp_session=..."
    std::string csrf;
  };

  Session signIn(const std::string& name, const std::string& password = kPassword) {
    auto c = client();
    const auto res = c.Post("/api/session", json{{"name", name}, {"password", password}}.dump(),
                            "application/json");
    EXPECT_TRUE(res);
    if (!res || res->status != 200) return {};
    const std::string setCookie = res->get_header_value("Set-Cookie");
    return {setCookie.substr(0, setCookie.find(';')),
            json::parse(res->body)["csrf_token"].get<std::string>()};
  }

  httplib::Result get(const Session& s, const std::string& path) {
    auto c = client();
    return c.Get(path, httplib::Headers{{"Cookie", s.cookie}});
  }
  httplib::Result post(const Session& s, const std::string& path, const std::string& body,
                       bool withCsrf = true) {
    auto c = client();
    httplib::Headers headers{{"Cookie", s.cookie}};
    if (withCsrf) headers.emplace("X-CSRF-Token", s.csrf);
    return c.Post(path, headers, body, "application/json");
  }
};

TEST_P(OfficeWebTest, SignInGivesAStrictHttpOnlyCookieAndSaysNothingAboutWhichPartWasWrong) {
  auto c = client();
  const auto ok = c.Post("/api/session", json{{"name", "ada"}, {"password", kPassword}}.dump(),
                         "application/json");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200);
  const std::string cookie = ok->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain HTTP here; Secure behind TLS";
  EXPECT_EQ(json::parse(ok->body)["role"], "admin");

  const auto wrongPassword =
      c.Post("/api/session", json{{"name", "ada"}, {"password", "wrong password!"}}.dump(),
             "application/json");
  const auto noSuchUser = c.Post(
      "/api/session", json{{"name", "nobody"}, {"password", kPassword}}.dump(), "application/json");
  ASSERT_TRUE(wrongPassword && noSuchUser);
  EXPECT_EQ(wrongPassword->status, 401);
  EXPECT_EQ(noSuchUser->status, 401);
  EXPECT_EQ(json::parse(wrongPassword->body)["error"], json::parse(noSuchUser->body)["error"]);
  // A form posted from another site cannot sign in: only JSON is taken.
  const auto form =
      c.Post("/api/session", "name=ada&password=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
}

TEST_P(OfficeWebTest, FiveWrongPasswordsLockTheAccountForFifteenMinutesEvenWithTheRightOne) {
  for (int i = 0; i < kMaxFailuresPerAccount; ++i) {
    auto c = client();
    const auto r =
        c.Post("/api/session",
               json{{"name", "lee"}, {"password", "guess number " + std::to_string(i)}}.dump(),
               "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
  }
  auto c = client();
  const auto locked = c.Post("/api/session", json{{"name", "lee"}, {"password", kPassword}}.dump(),
                             "application/json");
  ASSERT_TRUE(locked);
  EXPECT_EQ(locked->status, 429);
  EXPECT_EQ(locked->get_header_value("Retry-After"), "900");
  EXPECT_NE(signIn("ada").cookie, "") << "other accounts are not locked";
  now += kSignInWindowSeconds + 1;
  EXPECT_NE(signIn("lee").cookie, "") << "the window passes";
}

TEST_P(OfficeWebTest, AClinicManagerFindsNothingOutsideTheirClinicNotEvenByItsAddress) {
  const auto [leedsId, leedsPhoto] = send(leeds, "Lena Leeds", "photo-leeds", 1);
  const auto [yorkId, yorkPhoto] = send(york, "Yusuf York", "photo-york", 1);
  const Session lee = signIn("lee");
  ASSERT_NE(lee.cookie, "");

  const auto list = get(lee, "/api/consultations");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->status, 200);
  const json page = json::parse(list->body);
  EXPECT_EQ(page["total"], 1);
  EXPECT_EQ(page["rows"][0]["client_name"], "Lena Leeds");
  EXPECT_EQ(json::parse(get(lee, "/api/consultations?clinic=York")->body)["total"], 0);
  EXPECT_EQ(json::parse(get(lee, "/api/clinics")->body)["clinics"], json::array({"Leeds"}));

  EXPECT_EQ(get(lee, "/api/consultations/" + leedsId)->status, 200);
  EXPECT_EQ(get(lee, "/api/consultations/" + leedsId + "/blobs/" + leedsPhoto)->status, 200);
  // York's record and photo are "not found", the same as ids that do not exist.
  EXPECT_EQ(get(lee, "/api/consultations/" + yorkId)->status, 404);
  EXPECT_EQ(get(lee, "/api/consultations/" + yorkId + "/blobs/" + yorkPhoto)->status, 404);
  EXPECT_EQ(get(lee, "/api/consultations/" + leedsId + "/blobs/" + yorkPhoto)->status, 404)
      << "a hash opens only a photo the record names";
  EXPECT_EQ(get(lee, "/api/audit")->status, 404) << "the audit is for admins";

  const Session analyst = signIn("ana.lyst");
  EXPECT_EQ(json::parse(get(analyst, "/api/consultations")->body)["total"], 2);
  EXPECT_EQ(get(analyst, "/api/consultations/" + yorkId)->status, 200);
}

TEST_P(OfficeWebTest, FiltersSearchAndPagesAnswerOnTheServerAndBadParametersAreRefused) {
  for (int i = 0; i < 7; ++i) {
    send(leeds, "Client " + std::to_string(i), "p" + std::to_string(i), i + 1,
         i % 3 == 0 ? json{{"phone", "+44 7700 900" + std::to_string(100 + i)},
                           {"health_flags", {"keloid"}}}
                    : json{{"phone", "+44 7700 900" + std::to_string(100 + i)}});
  }
  send(york, "O'Brien 100%_sure", "p-york", 1);
  const Session s = signIn("ana.lyst");
  const auto page = [&](const std::string& q) {
    const auto r = get(s, "/api/consultations?" + q);
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 200) << q << ": " << r->body;
    return json::parse(r->body);
  };
  EXPECT_EQ(page("")["total"], 8);
  EXPECT_EQ(page("clinic=Leeds")["total"], 7);
  EXPECT_EQ(page("flagged=1")["total"], 3);
  EXPECT_EQ(page("q=900103")["total"], 1) << "by phone";
  EXPECT_EQ(page("q=client%205")["rows"][0]["client_name"], "Client 5") << "by name, any case";
  EXPECT_EQ(page("q=100%25_")["total"], 1) << "% and _ are taken literally";
  EXPECT_EQ(page("q=%25")["total"], 1);
  const json p1 = page("per_page=3&page=1");
  const json p3 = page("per_page=3&page=3");
  EXPECT_EQ(p1["rows"].size(), 3u);
  EXPECT_EQ(p3["rows"].size(), 2u);
  EXPECT_EQ(page("from=2026-11-21&to=2026-11-21")["total"], 8);
  EXPECT_EQ(page("from=2026-11-22")["total"], 0);
  // Bytes that are not text (PostgreSQL refuses them; SQLite would quietly match nothing).
  for (const char* bad :
       {"page=0", "per_page=500", "from=21/11/2026", "flagged=yes", "sort=sideways",
        "page=99999999999", "q=%FF%FE", "clinic=Leeds%C0", "kiosk=%00x", "q=a%0Db"}) {
    const auto r = get(s, std::string("/api/consultations?") + bad);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_TRUE(json::parse(r->body).contains("error")) << bad;
  }
}

TEST_P(OfficeWebTest, SigningOutNeedsTheCsrfTokenAndEndsTheSession) {
  const Session s = signIn("ada");
  auto c = client();
  const auto forged = c.Delete("/api/session", httplib::Headers{{"Cookie", s.cookie}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403) << "no CSRF token";
  const auto wrong =
      c.Delete("/api/session", httplib::Headers{{"Cookie", s.cookie}, {"X-CSRF-Token", "x"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 403);
  EXPECT_EQ(get(s, "/api/session")->status, 200) << "still signed in";
  const auto out =
      c.Delete("/api/session", httplib::Headers{{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200);
  EXPECT_EQ(get(s, "/api/session")->status, 401);
}

TEST_P(OfficeWebTest, SessionsEndAfterThirtyIdleMinutesTwelveHoursOrWhenTheAccountIsDisabled) {
  const Session s = signIn("ana.lyst");
  now += kSessionIdleSeconds - 60;
  EXPECT_EQ(get(s, "/api/session")->status, 200) << "used within 30 minutes";
  now += kSessionIdleSeconds - 60;
  EXPECT_EQ(get(s, "/api/session")->status, 200) << "each use restarts the idle time";
  now += kSessionIdleSeconds + 1;
  EXPECT_EQ(get(s, "/api/session")->status, 401) << "idle too long";

  const Session busy = signIn("ana.lyst");
  int usedFor = 0;  // minutes: used every 20 minutes, never idle for long
  while (usedFor < 13 * 60 && get(busy, "/api/session")->status == 200) {
    now += 20 * 60;
    usedFor += 20;
  }
  EXPECT_GT(usedFor, 11 * 60) << "a session in use lasts its day";
  EXPECT_LE(usedFor, 12 * 60 + 20) << "but never more than 12 hours";

  const Session lee = signIn("lee");
  ASSERT_EQ(get(lee, "/api/session")->status, 200);
  ASSERT_TRUE(server.storage().disableUser("lee"));
  EXPECT_EQ(get(lee, "/api/session")->status, 401);
  EXPECT_EQ(signIn("lee").cookie, "");
}

TEST_P(OfficeWebTest, EveryRecordViewAndPhotoOpenedIsAuditedWithWhoAndWhat) {
  const auto [id, photo] = send(leeds, "Lena Leeds", "photo-leeds", 1);
  const Session lee = signIn("lee");
  ASSERT_EQ(get(lee, "/api/consultations/" + id)->status, 200);
  ASSERT_EQ(get(lee, "/api/consultations/" + id + "/blobs/" + photo)->status, 200);
  const Session ada = signIn("ada");
  const json log = json::parse(get(ada, "/api/audit?target=" + id)->body)["entries"];
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["user"], "lee");
  EXPECT_EQ(log[0]["action"], "photo");
  EXPECT_EQ(log[1]["action"], "view");
  // The record's own page lists who has seen it.
  const json detail = json::parse(get(ada, "/api/consultations/" + id)->body);
  EXPECT_GE(detail["audit"].size(), 3u);
}

TEST_P(OfficeWebTest, PagesCarrySecurityHeadersAndNothingOutsideTheWebFolderIsServed) {
  auto c = client();
  const auto page = c.Get("/app/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<main"), std::string::npos);
  const std::string csp = page->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(c.Get("/app/app.js")->get_header_value("Content-Type"),
            "text/javascript; charset=utf-8");
  for (const char* path : {"/app/../../etc/passwd", "/app/%2e%2e/CMakeLists.txt",
                           "/app/nothing.html", "/app/index.html.bak"}) {
    const auto r = c.Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path;
  }
  EXPECT_EQ(c.Get("/api/consultations")->status, 401) << "no session, no data";
}

TEST_P(OfficeWebTest, ExportsStreamTheFilterInBatchesOnlyWithinTheClinicAndAreAudited) {
  // More than two of the server's 500-record batches, so the stream crosses batch edges.
  const int many = 1100;
  {
    sync::HttpClient http;
    for (int i = 0; i < many; ++i) {
      auto r = test::recordNaming("p", i + 1);
      r.clientName = "Client " + std::to_string(i);
      if (i == 0) r.clientName = "=HYPERLINK(\"http://evil\")";
      r.createdAt = "2026-11-" + std::to_string(10 + i % 10) + "T10:00:00Z";
      if (i == 0) {
        EXPECT_EQ(
            http.request("PUT", server.url() + "/v1/blobs/" + r.photos[0].sha256, leeds.token, "p")
                .status,
            200);
      }
      ASSERT_EQ(http.request("PUT", server.url() + "/v1/consultations/" + r.id, leeds.token,
                             r.toJson().dump())
                    .status,
                201);
    }
  }
  send(york, "Yusuf York", "photo-york", 1);
  const Session lee = signIn("lee");
  const auto csv = get(lee, "/api/export?format=csv");
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200);
  EXPECT_NE(csv->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  std::set<std::string> ids;
  int lines = 0;
  for (std::size_t at = 0, end; (end = csv->body.find("\r\n", at)) != std::string::npos;
       at = end + 2) {
    ++lines;
    if (lines > 1) ids.insert(csv->body.substr(at, 36));
  }
  EXPECT_EQ(lines, many + 1) << "a header and every Leeds record";
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(many)) << "each once, across batches";
  EXPECT_EQ(csv->body.find("Yusuf"), std::string::npos) << "not York's";
  EXPECT_EQ(csv->body.find(",=HYPERLINK"), std::string::npos) << "no formula for a spreadsheet";
  EXPECT_NE(csv->body.find("'=HYPERLINK"), std::string::npos);

  const auto jsonl = get(lee, "/api/export?format=jsonl&from=2026-11-10&to=2026-11-10");
  ASSERT_EQ(jsonl->status, 200);
  EXPECT_EQ(std::count(jsonl->body.begin(), jsonl->body.end(), '\n'), many / 10)
      << "the filter applies";
  EXPECT_EQ(get(lee, "/api/export?format=xlsx")->status, 400);

  const Session ada = signIn("ada");
  const json log = json::parse(get(ada, "/api/audit?target=csv")->body)["entries"];
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["user"], "lee");
  EXPECT_EQ(log[0]["action"], "export");
}

TEST_P(OfficeWebTest, OnlyAnAdminWithTheCsrfTokenAddsRevokesOrRenewsKiosks) {
  const Session ada = signIn("ada");
  const Session analyst = signIn("ana.lyst");
  const Session lee = signIn("lee");
  EXPECT_EQ(post(analyst, "/api/kiosks", R"({"clinic":"Harrogate"})")->status, 403);
  EXPECT_EQ(post(ada, "/api/kiosks", R"({"clinic":"Harrogate"})", false)->status, 403);
  const auto added = post(ada, "/api/kiosks", R"({"clinic":"Harrogate"})");
  ASSERT_EQ(added->status, 200);
  const json k = json::parse(added->body);
  EXPECT_TRUE(server.storage().kioskForToken(k["token"]).has_value()) << "a working token";

  const json leesView = json::parse(get(lee, "/api/kiosks")->body);
  ASSERT_EQ(leesView["kiosks"].size(), 1u) << "a clinic manager sees their clinic's kiosks";
  EXPECT_EQ(leesView["kiosks"][0]["clinic"], "Leeds");
  EXPECT_FALSE(leesView["can_change"]);
  EXPECT_EQ(json::parse(get(analyst, "/api/kiosks")->body)["kiosks"].size(), 3u);

  const std::string id = k["kiosk_id"];
  EXPECT_EQ(post(lee, "/api/kiosks/" + id + "/revoke", "{}")->status, 403);
  ASSERT_EQ(post(ada, "/api/kiosks/" + id + "/revoke", "{}")->status, 200);
  EXPECT_FALSE(server.storage().kioskForToken(k["token"]).has_value());
  const auto rotated = post(ada, "/api/kiosks/" + id + "/rotate", "{}");
  ASSERT_EQ(rotated->status, 200);
  EXPECT_TRUE(server.storage().kioskForToken(json::parse(rotated->body)["token"]).has_value());
  EXPECT_EQ(post(ada, "/api/kiosks/kiosk-nope/revoke", "{}")->status, 404);
  EXPECT_EQ(json::parse(get(ada, "/api/audit?target=" + id)->body)["entries"].size(), 3u);
}

TEST_P(OfficeWebTest, ANewKioskComesWithAOneTimeEnrolmentCodeAndAdminsCanIssueAnother) {
  const Session ada = signIn("ada");
  const auto added = post(ada, "/api/kiosks", R"({"clinic":"Harrogate"})");
  ASSERT_EQ(added->status, 200);
  const json k = json::parse(added->body);
  const std::string first = k["enrolment_code"];
  EXPECT_TRUE(protocol::normaliseEnrolmentCode(first)) << first;
  EXPECT_EQ(k["code_expires_at"], protocol::iso8601Utc(std::chrono::system_clock::time_point(
                                      std::chrono::seconds(now.load() + 24 * 3600))));
  const std::string id = k["kiosk_id"];
  EXPECT_EQ(post(signIn("ana.lyst"), "/api/kiosks/" + id + "/code", "{}")->status, 403);
  const auto again = post(ada, "/api/kiosks/" + id + "/code", "{}");
  ASSERT_EQ(again->status, 200);
  const std::string second = json::parse(again->body)["enrolment_code"];
  EXPECT_NE(second, first);
  EXPECT_TRUE(std::holds_alternative<EnrolmentRefusal>(
      server.storage().redeemEnrolmentCode(*protocol::normaliseEnrolmentCode(first), now.load())))
      << "the new code replaces the old";
  EXPECT_TRUE(std::holds_alternative<Enrolment>(
      server.storage().redeemEnrolmentCode(*protocol::normaliseEnrolmentCode(second), now.load())));
  const json audit = json::parse(get(ada, "/api/audit?target=" + id)->body)["entries"];
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0]["action"], "kiosk.enrolment_code");
  EXPECT_EQ(audit[0]["detail"].get<std::string>().find(second), std::string::npos)
      << "the audit never holds a code";
}

TEST_P(OfficeWebTest, APersonChangesTheirOwnPasswordAndOtherBrowsersAreSignedOut) {
  const Session here = signIn("lee");
  const Session otherBrowser = signIn("lee");
  const Session ada = signIn("ada");
  const auto change = [&](const Session& s, const std::string& current, const std::string& next,
                          bool csrf = true) {
    return post(s, "/api/me/password", json{{"current", current}, {"new", next}}.dump(), csrf);
  };
  const std::string fresh = "a brand new long password";
  EXPECT_EQ(change(here, kPassword, fresh, false)->status, 403) << "CSRF";
  EXPECT_EQ(change(here, kPassword, "short")->status, 400);
  EXPECT_NE(change(here, kPassword, "short")->body.find("12 to 256"), std::string::npos);
  EXPECT_EQ(change(here, kPassword, kPassword)->status, 400) << "the same password";
  EXPECT_EQ(post(here, "/api/me/password", "[1]")->status, 400);
  const auto wrong = change(here, "not my password", fresh);
  EXPECT_EQ(wrong->status, 403);
  EXPECT_NE(wrong->body.find("current password is not right"), std::string::npos);

  ASSERT_EQ(change(here, kPassword, fresh)->status, 200);
  EXPECT_EQ(get(here, "/api/session")->status, 200)
      << "the browser that changed it stays signed in";
  EXPECT_EQ(get(otherBrowser, "/api/session")->status, 401) << "every other browser is signed out";
  EXPECT_EQ(get(ada, "/api/session")->status, 200) << "other people's sessions are untouched";
  EXPECT_TRUE(signIn("lee", kPassword).cookie.empty()) << "the old password still works";
  EXPECT_FALSE(signIn("lee", fresh).cookie.empty());

  // A browser left open cannot be used to guess the password: wrong ones count as failed
  // sign-ins of the account, and after five it waits.
  for (int i = 0; i < kMaxFailuresPerAccount; ++i) {
    EXPECT_EQ(change(here, "guess " + std::to_string(i), "another long password")->status, 403);
  }
  const auto throttled = change(here, fresh, "another long password");
  EXPECT_EQ(throttled->status, 429);
  EXPECT_FALSE(throttled->get_header_value("Retry-After").empty());
  std::vector<std::string> actions;
  const auto audit = get(ada, "/api/audit?target=lee");
  ASSERT_EQ(audit->status, 200) << audit->body;
  const json entries = json::parse(audit->body)["entries"];
  for (const json& e : entries) {
    actions.push_back(e["action"]);
  }
  EXPECT_NE(std::find(actions.begin(), actions.end(), "password.change"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "password.change_refused"), actions.end());
}

TEST_P(OfficeWebTest, AdminsAddAndDisableAccountsOnTheUsersPage) {
  const Session ada = signIn("ada");
  const Session lee = signIn("lee");
  EXPECT_EQ(get(lee, "/api/users")->status, 404) << "only admins see the accounts";
  const json listed = json::parse(get(ada, "/api/users")->body)["users"];
  ASSERT_EQ(listed.size(), 3u);
  for (const json& u : listed) {
    EXPECT_FALSE(u.contains("password_hash"));
    EXPECT_EQ(u["is_you"], u["name"] == "ada");
  }
  const std::string yorkManager = json{
      {"name", "yo"},
      {"role", "clinic-manager"},
      {"clinics", {"York"}},
      {"password",
       "a long enough password"}}.dump();
  EXPECT_EQ(post(lee, "/api/users", yorkManager)->status, 403);
  EXPECT_EQ(post(ada, "/api/users", yorkManager, false)->status, 403) << "CSRF";
  const auto refused = [&](const json& body, const std::string& words) {
    const auto r = post(ada, "/api/users", body.dump());
    EXPECT_EQ(r->status, 400) << body;
    EXPECT_NE(r->body.find(words), std::string::npos) << r->body;
  };
  refused({{"name", "yo"}, {"role", "clinic-manager"}, {"password", "a long enough password"}},
          "needs at least one clinic");
  refused({{"name", "yo"}, {"role", "analyst"}, {"password", "short"}}, "12 to 256 characters");
  refused({{"name", "y o"}, {"role", "analyst"}, {"password", "a long enough password"}},
          "no spaces");
  refused({{"name", "yo"}, {"role", "owner"}, {"password", "a long enough password"}},
          "admin, analyst or clinic-manager");
  refused({{"name", "ada"}, {"role", "analyst"}, {"password", "a long enough password"}},
          "already an account named 'ada'");
  refused({{"name", "yo"},
           {"role", "analyst"},
           {"password", "a long enough password"},
           {"clinics", "York"}},
          "list");
  ASSERT_EQ(post(ada, "/api/users", yorkManager)->status, 200);
  const Session yo = signIn("yo", "a long enough password");
  ASSERT_FALSE(yo.cookie.empty());
  EXPECT_EQ(json::parse(get(yo, "/api/clinics")->body)["clinics"], json::array({"York"}));

  EXPECT_EQ(post(ada, "/api/users/ada/disable", "{}")->status, 400) << "never yourself";
  EXPECT_EQ(post(lee, "/api/users/yo/disable", "{}")->status, 403);
  EXPECT_EQ(post(ada, "/api/users/nobody/disable", "{}")->status, 404);
  ASSERT_EQ(post(ada, "/api/users/yo/disable", "{}")->status, 200);
  EXPECT_EQ(get(yo, "/api/clinics")->status, 401) << "their session ended";
  std::vector<std::string> actions;  // newest first; their own sign-in is there too
  const json audit = json::parse(get(ada, "/api/audit?target=yo")->body);
  for (const json& e : audit["entries"]) {
    if (e["user"] == "ada") actions.push_back(e["action"]);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"user.disable", "user.add"})) << audit;
}

TEST_P(OfficeWebTest, TheOverviewCountsOnlyWhatThePersonMaySeeByWeekStageAndFlag) {
  send(leeds, "A", "pa", 1, json{{"loss_stage", "norwood-3"}, {"health_flags", {"keloid"}}});
  send(leeds, "B", "pb", 2, json{{"loss_stage", "norwood-3"}});
  send(york, "C", "pc", 1, json{{"loss_stage", "norwood-5"}});
  const auto overviewFor = [&](const std::string& who) {
    const auto r = get(signIn(who), "/api/overview?from=2026-11-01&to=2026-11-30");
    EXPECT_EQ(r->status, 200);
    return json::parse(r->body);
  };
  const json all = overviewFor("ana.lyst");
  EXPECT_EQ(all["total"], 3);
  EXPECT_EQ(all["flagged"], 1);
  ASSERT_EQ(all["per_week"].size(), 2u) << "one week, two clinics";
  EXPECT_EQ(all["per_week"][0]["week"], "2026-11-16") << "the Monday of 2026-11-21";
  EXPECT_EQ(all["sync_lag"].size(), 2u);
  const json lee = overviewFor("lee");
  EXPECT_EQ(lee["total"], 2);
  ASSERT_EQ(lee["stages"].size(), 1u);
  EXPECT_EQ(lee["stages"][0]["stage"], "norwood-3");
  EXPECT_EQ(lee["stages"][0]["count"], 2);
  ASSERT_EQ(lee["sync_lag"].size(), 1u);
  EXPECT_EQ(lee["sync_lag"][0]["clinic"], "Leeds");
  EXPECT_EQ(get(signIn("ada"), "/api/overview?from=yesterday")->status, 400);
}

TEST_P(OfficeWebTest, OnlyAnAdminErasesAndTheKioskIsToldToRemoveItsCopy) {
  const auto [id, photo] = send(leeds, "Lena Leeds", "photo-leeds", 1);
  const auto post = [&](const Session& s, const std::string& path) {
    auto c = client();
    return c.Post(path, httplib::Headers{{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}}, "{}",
                  "application/json");
  };
  EXPECT_EQ(post(signIn("lee"), "/api/consultations/" + id + "/erase")->status, 403);
  EXPECT_EQ(post(signIn("ana.lyst"), "/api/consultations/" + id + "/erase")->status, 403);
  const Session ada = signIn("ada");
  ASSERT_EQ(post(ada, "/api/consultations/" + id + "/erase")->status, 200);
  EXPECT_EQ(get(ada, "/api/consultations/" + id)->status, 404);
  EXPECT_FALSE(server.storage().hasBlob(photo)) << "the photo is gone at head office";
  EXPECT_EQ(post(ada, "/api/consultations/" + id + "/erase")->status, 404) << "once";
  // The order waits for Leeds' kiosk only.
  sync::HttpClient http;
  const auto orders = http.request("GET", server.url() + "/v1/erasures?after=0", leeds.token);
  ASSERT_EQ(orders.status, 200);
  const json list = json::parse(orders.body)["erasures"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["id"], id);
  EXPECT_TRUE(json::parse(http.request("GET",
                                       server.url() + "/v1/erasures?after=" +
                                           std::to_string(list[0]["seq"].get<int>()),
                                       leeds.token)
                              .body)["erasures"]
                  .empty());
  EXPECT_TRUE(
      json::parse(http.request("GET", server.url() + "/v1/erasures", york.token).body)["erasures"]
          .empty());
  EXPECT_EQ(http.request("GET", server.url() + "/v1/erasures?after=x", leeds.token).status, 400);
}

// Follow-up: admins and the clinic's manager set it (an analyst reads), it is checked like any
// input, it filters the table, feeds the Overview's funnel, survives a new revision from the
// kiosk, waits for the kiosk that took the consultation and goes with an erasure.
TEST_P(OfficeWebTest, FollowUpIsKeptPerConsultationFeedsTheFunnelAndWaitsForItsKiosk) {
  const auto [a, photoA] = send(leeds, "Lena Leeds", "photo-a", 1);
  send(leeds, "Lars Leeds", "photo-b", 2);
  const auto [york1, photoY] = send(york, "Yusuf York", "photo-y", 1);
  const Session lee = signIn("lee"), ada = signIn("ada"), analyst = signIn("ana.lyst");
  const auto followUp = [&](const Session& s, const std::string& id, const json& body,
                            bool withCsrf = true) {
    const auto r = post(s, "/api/consultations/" + id + "/follow-up", body.dump(), withCsrf);
    EXPECT_TRUE(r);
    return r ? r->status : -1;
  };
  const json contacted = {{"status", "contacted"}, {"note", "Called: wants a patch test first"}};
  EXPECT_EQ(followUp(lee, a, contacted, false), 403) << "no CSRF token";
  EXPECT_EQ(followUp(analyst, a, contacted), 403) << "an analyst only reads";
  EXPECT_EQ(followUp(lee, york1, contacted), 404) << "another clinic's record";
  EXPECT_EQ(followUp(lee, "no-such-id", contacted), 404);
  EXPECT_EQ(followUp(lee, a, {{"status", "maybe"}}), 400);
  EXPECT_EQ(followUp(lee, a, {{"note", "no status"}}), 400);
  EXPECT_EQ(followUp(lee, a, {{"status", "booked"}, {"note", "bell\x07"}}), 400);
  EXPECT_EQ(followUp(lee, a, {{"status", "booked"}, {"note", std::string(2001, 'x')}}), 400);
  EXPECT_EQ(followUp(lee, a, {{"status", "booked"}, {"note", 42}}), 400);
  {
    auto c = client();
    const auto r = c.Post("/api/consultations/" + a + "/follow-up",
                          {{"Cookie", lee.cookie}, {"X-CSRF-Token", lee.csrf}}, "{not json",
                          "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->body.find("follow-up"), std::string::npos) << r->body;
  }
  ASSERT_EQ(followUp(lee, a, contacted), 200);
  ASSERT_EQ(followUp(ada, a, {{"status", "booked"}, {"note", "Booked for 12 Jan\r\nsession 1"}}),
            200);

  // A new revision from the kiosk (staff corrected the name) leaves head office's follow-up.
  {
    auto r = test::recordNaming("photo-a", 1, a);
    r.clientName = "Lena Leeds-Smith";
    r.revision = 2;
    sync::HttpClient http;
    ASSERT_EQ(
        http.request("PUT", server.url() + "/v1/consultations/" + a, leeds.token, r.toJson().dump())
            .status,
        201);
  }
  const json detail = json::parse(get(lee, "/api/consultations/" + a)->body);
  EXPECT_EQ(detail["client_name"], "Lena Leeds-Smith");
  // The revision says what it changed: the name, nothing else.
  ASSERT_EQ(detail["revisions"].size(), 2u);
  EXPECT_FALSE(detail["revisions"][0].contains("changes"));
  EXPECT_EQ(
      detail["revisions"][1]["changes"],
      json::array(
          {{{"field", "client_name"}, {"before", "Lena Leeds"}, {"after", "Lena Leeds-Smith"}}}));
  EXPECT_EQ(detail["follow_up"], "booked");
  EXPECT_TRUE(detail["can_follow_up"].get<bool>());
  ASSERT_EQ(detail["follow_ups"].size(), 2u);
  EXPECT_EQ(detail["follow_ups"][0]["status"], "contacted");
  EXPECT_EQ(detail["follow_ups"][0]["author"], "lee");
  EXPECT_EQ(detail["follow_ups"][1]["note"], "Booked for 12 Jan\nsession 1")
      << "a line ends with \\n however the browser sent it";
  EXPECT_FALSE(json::parse(get(analyst, "/api/consultations/" + a)->body)["can_follow_up"]);

  // The table filters by it; the Overview counts every step of the funnel, zeros included.
  const json booked = json::parse(get(analyst, "/api/consultations?follow_up=booked")->body);
  ASSERT_EQ(booked["total"], 1);
  EXPECT_EQ(booked["rows"][0]["follow_up"], "booked");
  EXPECT_EQ(json::parse(get(analyst, "/api/consultations?follow_up=new")->body)["total"], 2);
  EXPECT_EQ(json::parse(get(lee, "/api/consultations?follow_up=new")->body)["total"], 1);
  EXPECT_EQ(get(analyst, "/api/consultations?follow_up=maybe")->status, 400);
  const auto funnel = [&](const Session& s) {
    std::map<std::string, std::int64_t> out;
    const json o = json::parse(get(s, "/api/overview?from=2026-11-01")->body);
    EXPECT_EQ(o["follow_ups"].size(), 5u) << o.dump();
    for (const json& step : o["follow_ups"]) out[step["status"]] = step["count"];
    return out;
  };
  EXPECT_EQ(
      funnel(analyst),
      (std::map<std::string, std::int64_t>{
          {"new", 2}, {"contacted", 0}, {"booked", 1}, {"treated", 0}, {"not_interested", 0}}));
  EXPECT_EQ(funnel(lee)["new"], 1);

  // Leeds' kiosk receives both changes in order, York's none; a change is audited.
  sync::HttpClient http;
  const auto feed = [&](const NewKiosk& k, const std::string& after) {
    const auto r = http.request("GET", server.url() + "/v1/follow-ups?after=" + after, k.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body)["follow_ups"];
  };
  const json changes = feed(leeds, "0");
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0]["id"], a);
  EXPECT_EQ(changes[0]["note"], "Called: wants a patch test first");
  EXPECT_LT(changes[0]["seq"].get<std::int64_t>(), changes[1]["seq"].get<std::int64_t>());
  EXPECT_TRUE(feed(leeds, std::to_string(changes[1]["seq"].get<std::int64_t>())).empty());
  EXPECT_TRUE(feed(york, "0").empty());
  EXPECT_EQ(http.request("GET", server.url() + "/v1/follow-ups?after=-1", leeds.token).status, 400);
  EXPECT_EQ(http.request("GET", server.url() + "/v1/follow-ups", "not-a-token").status, 401);
  bool audited = false;
  const json audit = json::parse(get(ada, "/api/audit?target=" + a)->body);
  for (const json& e : audit["entries"])
    audited = audited || (e["action"] == "follow_up" && e["user"] == "lee");
  EXPECT_TRUE(audited) << audit.dump();

  // Erased: head office's notes about the client go too.
  ASSERT_EQ(post(ada, "/api/consultations/" + a + "/erase", "{}")->status, 200);
  EXPECT_TRUE(feed(leeds, "0").empty());
  EXPECT_EQ(funnel(analyst)["booked"], 0);
}

// Config: everyone reads it, an admin publishes it (validated, with a message), the kiosks pull
// it by ETag, and every consent text published stays readable by the hash a record carries; a
// changed text must come with a new version.
TEST_P(OfficeWebTest, AnAdminPublishesConfigAndEveryConsentTextStaysReadableByItsHash) {
  const Session ada = signIn("ada"), lee = signIn("lee");
  json config = {
      {"languages", {"en", "es"}},
      {"consent_texts", {{"en", {{"version", "en-2027-01"}, {"text", "We keep your photos..."}}}}},
      {"price_list", {{{"item", "Full head"}, {"min", 1500}, {"max", 2500}, {"currency", "GBP"}}}},
      {"idle_timeouts", {{"warning_seconds", 60}, {"reset_seconds", 30}}}};
  const auto publish = [&](const Session& s, const json& c) {
    const auto r = post(s, "/api/config", c.dump());
    EXPECT_TRUE(r);
    return r ? std::make_pair(r->status, r->body) : std::make_pair(-1, std::string());
  };
  EXPECT_EQ(publish(lee, config).first, 403);
  EXPECT_EQ(publish(signIn("ana.lyst"), config).first, 403);
  EXPECT_EQ(post(ada, "/api/config", config.dump(), false)->status, 403) << "no CSRF token";
  json bad = config;
  bad["idle_timeouts"]["reset_seconds"] = 5;
  const auto refused = publish(ada, bad);
  EXPECT_EQ(refused.first, 400);
  EXPECT_NE(refused.second.find("reset_seconds"), std::string::npos) << refused.second;
  bad = config;
  bad["consent_texts"]["en"]["text"] = "bell\x07";
  EXPECT_EQ(publish(ada, bad).first, 400);
  bad = config;
  bad["consent_texts"]["en"]["version"] = "two\nlines";
  EXPECT_EQ(publish(ada, bad).first, 400);
  {
    auto c = client();
    const auto r = c.Post("/api/config", {{"Cookie", ada.cookie}, {"X-CSRF-Token", ada.csrf}},
                          std::string(protocol::kMaxConfigBytes + 10, ' '), "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413) << "a body past the limit is refused before it is read";
  }

  ASSERT_EQ(publish(ada, config).first, 200);
  sync::HttpClient http;
  const auto pulled = http.request("GET", server.url() + "/v1/config", leeds.token);
  ASSERT_EQ(pulled.status, 200);
  EXPECT_EQ(json::parse(pulled.body), config) << "the kiosks pull what was published";

  // The same version with another text is refused; a new version is kept beside the old.
  json changed = config;
  changed["consent_texts"]["en"]["text"] = "We keep your photos for two years...";
  const auto clash = publish(ada, changed);
  EXPECT_EQ(clash.first, 400);
  EXPECT_NE(clash.second.find("new version"), std::string::npos) << clash.second;
  changed["consent_texts"]["en"]["version"] = "en-2027-02";
  ASSERT_EQ(publish(ada, changed).first, 200);

  const json read = json::parse(get(lee, "/api/config")->body);
  EXPECT_FALSE(read["can_change"].get<bool>());
  EXPECT_EQ(read["config"], changed);
  std::map<std::string, bool> versions;  // en's versions and whether each is in use
  for (const json& t : read["consent_texts"])
    if (t["language"] == "en") versions[t["version"]] = t["in_use"];
  EXPECT_EQ(versions, (std::map<std::string, bool>{{"en-2027-01", false}, {"en-2027-02", true}}));

  const std::string signedSha = protocol::consentTextSha256("en-2027-01", "We keep your photos...");
  const auto text = get(lee, "/api/consent-texts/" + signedSha);
  ASSERT_EQ(text->status, 200);
  EXPECT_EQ(json::parse(text->body)["text"], "We keep your photos...");
  EXPECT_EQ(json::parse(text->body)["version"], "en-2027-01");
  EXPECT_EQ(get(lee, "/api/consent-texts/" + std::string(64, 'a'))->status, 404);

  // The table filters by the consent version a record was signed under.
  send(leeds, "Signed Before", "photo-before", 1);
  auto signedRecord = test::recordNaming("photo-signed", 2);
  signedRecord.consentTextSha256 = signedSha;
  ASSERT_EQ(http.request("PUT", server.url() + "/v1/blobs/" + protocol::sha256Hex("photo-signed"),
                         leeds.token, "photo-signed")
                .status,
            200);
  ASSERT_EQ(http.request("PUT", server.url() + "/v1/consultations/" + signedRecord.id, leeds.token,
                         signedRecord.toJson().dump())
                .status,
            201);
  const json underOld = json::parse(get(lee, "/api/consultations?consent=en-2027-01")->body);
  ASSERT_EQ(underOld["total"], 1);
  EXPECT_EQ(underOld["rows"][0]["id"], signedRecord.id);
  EXPECT_EQ(json::parse(get(lee, "/api/consultations?consent=en-2027-02")->body)["total"], 0);
  EXPECT_EQ(json::parse(get(lee, "/api/consultations")->body)["total"], 2);
  EXPECT_EQ(get(lee, "/api/consent-texts/not-a-hash")->status, 404);
  bool audited = false;
  const json audit = json::parse(get(ada, "/api/audit?target=config")->body);
  for (const json& e : audit["entries"]) audited = audited || e["action"] == "config.publish";
  EXPECT_TRUE(audited) << audit.dump();
}

// A revision's page entry says what it changed: answers with their values before and after, a
// photo that was replaced; the first revision has nothing to compare with.
TEST_P(OfficeWebTest, ARevisionSaysWhatItChanged) {
  const auto [id, photo] =
      send(leeds, "Lena Leeds", "first photo", 1,
           json{{"phone", "+44 7700 900100"}, {"health", {{"pregnancy", false}}}});
  auto r = test::recordNaming("second photo", 1, id);
  r.clientName = "Lena Leeds";
  r.revision = 2;
  r.intake = {{"phone", "+44 7700 900199"}, {"health", {{"pregnancy", true}}}};
  sync::HttpClient http;
  ASSERT_EQ(http.request("PUT", server.url() + "/v1/blobs/" + protocol::sha256Hex("second photo"),
                         leeds.token, "second photo")
                .status,
            200);
  ASSERT_EQ(
      http.request("PUT", server.url() + "/v1/consultations/" + id, leeds.token, r.toJson().dump())
          .status,
      201);
  const json revisions =
      json::parse(get(signIn("lee"), "/api/consultations/" + id)->body)["revisions"];
  ASSERT_EQ(revisions.size(), 2u);
  std::map<std::string, json> changed;
  for (const json& c : revisions[1]["changes"]) changed[c["field"]] = c;
  ASSERT_EQ(changed.size(), 3u) << revisions.dump();
  EXPECT_EQ(changed["intake.phone"]["before"], "+44 7700 900100");
  EXPECT_EQ(changed["intake.phone"]["after"], "+44 7700 900199");
  EXPECT_EQ(changed["intake.health.pregnancy"]["after"], true);
  EXPECT_EQ(changed["photos.front"]["photo"], "replaced");
}

// The entries of a ZIP held in memory, by name (read with libzip, as an unzip program would).
std::map<std::string, std::string> zipEntries(const std::string& bytes) {
  std::map<std::string, std::string> out;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* zip = source ? zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error) : nullptr;
  if (!zip) {
    if (source) zip_source_free(source);
    ADD_FAILURE() << "not a ZIP: " << zip_error_strerror(&error);
    zip_error_fini(&error);
    return out;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(zip, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(zip, static_cast<zip_uint64_t>(i), 0, &st);
    std::string content(st.size, '\0');
    zip_file_t* f = zip_fopen_index(zip, static_cast<zip_uint64_t>(i), 0);
    EXPECT_EQ(zip_fread(f, content.data(), st.size), static_cast<zip_int64_t>(st.size));
    zip_fclose(f);
    out[st.name] = content;
  }
  zip_close(zip);
  zip_error_fini(&error);
  return out;
}

// Photos as a ZIP: the size before it starts, a job built in the background whose progress a
// request waits for, only the asker's clinics in it, only the asker can see or download it,
// and a download that resumes with a Range request.
TEST_P(OfficeWebTest, PhotosExportAsAZipBuiltInTheBackgroundAndTheDownloadResumes) {
  const std::string lenaPhoto(300'000, 'L'), larsPhoto = "photo of lars";
  send(leeds, "Lena Leeds", lenaPhoto, 1);
  send(leeds, "Lars / Leeds", larsPhoto, 2);
  send(york, "Yusuf York", "photo of yusuf", 1);
  const Session lee = signIn("lee"), ada = signIn("ada");
  const json size = json::parse(get(lee, "/api/exports/photos/size")->body);
  EXPECT_EQ(size["files"], 2) << "Leeds only";
  EXPECT_EQ(size["bytes"], lenaPhoto.size() + larsPhoto.size());
  EXPECT_GT(size["free_bytes"].get<std::int64_t>(), 0);
  EXPECT_EQ(get(lee, "/api/exports/photos/size?from=never")->status, 400);

  EXPECT_EQ(post(lee, "/api/exports/photos", "{}", false)->status, 403) << "no CSRF token";
  EXPECT_EQ(post(lee, "/api/exports/photos?clinic=York", "{}")->status, 409)
      << "nothing of York's is in a Leeds manager's reach";
  const auto started = post(lee, "/api/exports/photos", "{}");
  ASSERT_EQ(started->status, 202) << started->body;
  json job = json::parse(started->body);
  EXPECT_EQ(job["state"], "building");
  const std::string id = job["id"];
  for (int i = 0; i < 30 && job["state"] == "building"; ++i) {
    const auto r = get(lee, "/api/exports/" + id + "?wait=building:" +
                                std::to_string(job["done_bytes"].get<std::int64_t>()));
    ASSERT_EQ(r->status, 200);
    job = json::parse(r->body);
  }
  ASSERT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(get(ada, "/api/exports/" + id)->status, 404) << "another person's export";
  EXPECT_EQ(get(ada, "/api/exports/" + id + "/download")->status, 404);
  EXPECT_EQ(get(lee, "/api/exports/" + id + "?wait=nonsense")->status, 400);
  EXPECT_EQ(json::parse(get(lee, "/api/exports")->body)["exports"].size(), 1u);

  const auto download = get(lee, "/api/exports/" + id + "/download");
  ASSERT_EQ(download->status, 200);
  EXPECT_EQ(download->get_header_value("Content-Type"), "application/zip");
  EXPECT_EQ(download->body.size(), job["zip_bytes"].get<std::size_t>());
  const auto entries = zipEntries(download->body);
  ASSERT_EQ(entries.size(), 3u) << "two photos and the manifest";
  std::multiset<std::string> contents;
  for (const auto& [name, content] : entries) {
    EXPECT_EQ(name.rfind("Leeds/", 0) == 0 || name == "manifest.csv", true) << name;
    EXPECT_EQ(name.find("Lars / Leeds"), std::string::npos) << "a slash in a name is no folder";
    if (name != "manifest.csv") contents.insert(content);
  }
  EXPECT_EQ(contents, (std::multiset<std::string>{lenaPhoto, larsPhoto}));
  EXPECT_NE(entries.at("manifest.csv").find("Lena Leeds"), std::string::npos);

  // A download cut short resumes where it stopped.
  auto c = client();
  const auto rest = c.Get("/api/exports/" + id + "/download",
                          httplib::Headers{{"Cookie", lee.cookie}, {"Range", "bytes=1000-"}});
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->status, 206);
  EXPECT_EQ(rest->body, download->body.substr(1000));

  bool asked = false, downloaded = false;
  const json audit = json::parse(get(ada, "/api/audit?target=" + id)->body);
  for (const json& e : audit["entries"]) {
    asked = asked || e["action"] == "export.photos";
    downloaded = downloaded || e["action"] == "export.download";
  }
  EXPECT_TRUE(asked && downloaded) << audit.dump();
}

// A server that cannot write its exports folder still serves everything else; photo ZIPs say
// why they are off, and the log says it once.
TEST(OfficeWebExportsOff, WithoutAWritableExportsFolderTheServerRunsAndSaysWhy) {
  test::TempDir dir;
  std::ofstream(dir / "a-file") << "not a folder";
  std::vector<std::string> logged;
  std::mutex loggedMutex;
  ServerOptions options;
  options.exportsFolder = dir / "a-file" / "exports";
  options.log = [&](service::LogLevel, const std::string& line) {
    std::lock_guard lock(loggedMutex);
    logged.push_back(line);
  };
  test::TestServer server(options);
  OfficeAccounts(server.storage()).addUser("ada", OfficeRole::kAdmin, {}, kPassword);
  httplib::Client c("127.0.0.1", server.port());
  const auto signedIn = c.Post(
      "/api/session", json{{"name", "ada"}, {"password", kPassword}}.dump(), "application/json");
  ASSERT_TRUE(signedIn);
  ASSERT_EQ(signedIn->status, 200);
  const std::string cookie = signedIn->get_header_value("Set-Cookie")
                                 .substr(0, signedIn->get_header_value("Set-Cookie").find(';'));
  const auto size = c.Get("/api/exports/photos/size", httplib::Headers{{"Cookie", cookie}});
  ASSERT_TRUE(size);
  EXPECT_EQ(size->status, 503);
  EXPECT_NE(size->body.find("exports folder"), std::string::npos) << size->body;
  EXPECT_EQ(c.Get("/api/consultations", httplib::Headers{{"Cookie", cookie}})->status, 200);
  std::lock_guard lock(loggedMutex);
  EXPECT_TRUE(std::any_of(logged.begin(), logged.end(), [](const std::string& l) {
    return l.find("photo exports are off") != std::string::npos;
  }));
}

TEST(ServerMigration, FromEveryEarlierVersionKeepsConsultationsAndListsThem) {
  for (int from = 0; from < kServerSchemaVersion; ++from) {
    test::TempDir dir;
    const auto path = dir / "head-office.sqlite";
    auto record = test::recordNaming("p", 1);
    record.clientName = "Earlier Version";
    record.intake = {{"phone", "+44 7700 900999"}, {"health_flags", {"keloid"}}};
    {
      sqlite::Database db(path);
      for (int v = 0; v < from; ++v) db.exec(serverMigrations()[static_cast<std::size_t>(v)]);
      db.setUserVersion(from);
      if (from >= 1) {  // a kiosk and its consultation as version 1 stored them
        db.exec(
            "INSERT INTO kiosks(kiosk_id, clinic, token_sha256, created_at) "
            "VALUES('kiosk-old', 'Leeds', 'h', 't')");
        sqlite::Statement(db,
                          "INSERT INTO consultations(id, kiosk_id, kiosk_seq, revision, sha256, "
                          "record_json, received_at) VALUES(?, 'kiosk-old', 1, 1, 's', ?, 'r')")
            .bind(1, record.id)
            .bind(2, record.toJson().dump())
            .run();
      }
    }
    SqliteServerStorage storage(path);
    if (from < 1) continue;
    ConsultationQuery q;
    q.scope = {false, {"Leeds"}};
    q.text = "earlier";
    q.flaggedOnly = true;
    const ConsultationPage page = storage.consultations(q);
    ASSERT_EQ(page.total, 1) << "from " << from;
    EXPECT_EQ(page.rows[0].clientName, "Earlier Version");
    EXPECT_EQ(page.rows[0].clinic, "Leeds");
    EXPECT_EQ(page.rows[0].phone, "+44 7700 900999");
  }
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Backends, OfficeWebTest, test::allBackends(), test::backendName);

}  // namespace smp::server
