#include "sync/server/office_web.h"

#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>

#include "sync/protocol/consultation.h"
#include "sync/protocol/follow_up.h"
#include "sync/protocol/json_fields.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/sha256.h"
#include "sync/protocol/untrusted_json.h"
#include "sync/server/export.h"
#include "sync/server/head_office_storage.h"
#include "sync/server/office_web_http.h"

namespace smp::server {
namespace web {

using nlohmann::json;

// On every page and answer: no inline script, no framing, no sniffing, no referrer.
void securityHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: "
                 "data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                 "form-action 'self'; frame-ancestors 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
}

void answer(httplib::Response& res, int status, const json& body) {
  securityHeaders(res);
  res.set_header("Cache-Control", "no-store");
  res.status = status;
  res.set_content(protocol::dumpJson(body), "application/json");
}

void fail(httplib::Response& res, int status, const std::string& message) {
  answer(res, status, json{{"error", message}});
}

bool isDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
  return true;
}

// Well-formed UTF-8 without control characters: what a person can type into a filter. Anything
// else is refused before it reaches a query (PostgreSQL rejects such bytes with an error).
bool isTypedText(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return false;
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      extra = 1;
      code = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2;
      code = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // cut short
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past Unicode are not text.
    static constexpr std::uint32_t kSmallest[] = {0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[extra] || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff)
      return false;
    i += extra + 1;
  }
  return true;
}

// A note typed into a text area: typed text on every line (a line ends with \n or \r\n).
std::optional<std::string> typedNote(const std::string& raw) {
  std::string note;
  note.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
    note += raw[i];
  }
  std::size_t start = 0;
  while (start <= note.size()) {
    const std::size_t end = std::min(note.find('\n', start), note.size());
    if (!isTypedText(std::string_view(note).substr(start, end - start))) return std::nullopt;
    start = end + 1;
  }
  return note;
}

// A query parameter within bounds, or an error message.
std::optional<std::string> param(const httplib::Request& req, const char* name, std::size_t maxLen,
                                 std::string& out) {
  out = req.has_param(name) ? req.get_param_value(name) : "";
  if (out.size() > maxLen) {
    return std::string("'") + name + "' is longer than " + std::to_string(maxLen) + " characters";
  }
  if (!isTypedText(out)) {
    return std::string("'") + name +
           "' is not text: it holds control characters or bytes that are "
           "not UTF-8";
  }
  return std::nullopt;
}

std::optional<int> wholeParam(const std::string& text, int lo, int hi) {
  if (text.empty() || text.size() > 7 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const int v = std::stoi(text);
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

// The table's filters from the query string (shared by the page and the export), or why not.
std::optional<std::string> readQuery(const httplib::Request& req, ConsultationQuery& q) {
  std::string page, perPage, flagged, sort;
  for (const auto& [name, target, maxLen] :
       std::initializer_list<std::tuple<const char*, std::string*, std::size_t>>{
           {"clinic", &q.clinic, 200},
           {"kiosk", &q.kioskId, 64},
           {"concern", &q.concern, 64},
           {"stage", &q.lossStage, 64},
           {"from", &q.fromDate, 10},
           {"to", &q.toDate, 10},
           {"q", &q.text, 100},
           {"follow_up", &q.followUp, 20},
           {"consent", &q.consentVersion, 64},
           {"page", &page, 7},
           {"per_page", &perPage, 3},
           {"flagged", &flagged, 1},
           {"sort", &sort, 10}}) {
    if (const auto why = param(req, name, maxLen, *target)) return why;
  }
  if ((!q.fromDate.empty() && !isDate(q.fromDate)) || (!q.toDate.empty() && !isDate(q.toDate))) {
    return std::string("'from' and 'to' are dates written YYYY-MM-DD");
  }
  if (!page.empty()) {
    const auto p = wholeParam(page, 1, 1000000);
    if (!p) return std::string("'page' is a whole number from 1");
    q.page = *p;
  }
  if (!perPage.empty()) {
    const auto p = wholeParam(perPage, 1, 200);
    if (!p) return std::string("'per_page' is a whole number from 1 to 200");
    q.perPage = *p;
  }
  if (!flagged.empty() && flagged != "1" && flagged != "0") {
    return std::string("'flagged' is 1 or 0");
  }
  q.flaggedOnly = flagged == "1";
  if (!sort.empty() && sort != "newest" && sort != "oldest") {
    return std::string("'sort' is newest or oldest");
  }
  q.oldestFirst = sort == "oldest";
  if (!q.followUp.empty() && !protocol::isFollowUpStatus(q.followUp)) {
    return std::string("'follow_up' is one of new, contacted, booked, treated, not_interested");
  }
  return std::nullopt;
}

std::string filterText(const httplib::Request& req) {
  std::string filter;
  for (const auto& [k, v] : req.params) {
    if (k != "format") filter += (filter.empty() ? "" : "&") + k + "=" + v.substr(0, 100);
  }
  return filter;
}

}  // namespace web

using namespace web;

namespace {

using nlohmann::json;

constexpr const char* kCookieName = "smp_session";
// How long an enrolment code shown on the Kiosks page works.
constexpr std::int64_t kEnrolmentCodeSeconds = 24 * 3600;

std::string cookieValue(const httplib::Request& req) {
  const std::string header = req.get_header_value("Cookie");
  const std::string key = std::string(kCookieName) + "=";
  std::size_t at = 0;
  while (at < header.size()) {
    while (at < header.size() && (header[at] == ' ' || header[at] == ';')) ++at;
    const std::size_t end = std::min(header.find(';', at), header.size());
    if (header.compare(at, key.size(), key) == 0) {
      return header.substr(at + key.size(), end - at - key.size());
    }
    at = end;
  }
  return "";
}

json userJson(const OfficeUser& u) {
  return {{"name", u.name}, {"role", roleName(u.role)}, {"clinics", u.clinics}};
}

json rowJson(const ConsultationRow& r) {
  return {{"id", r.id},
          {"clinic", r.clinic},
          {"kiosk_id", r.kioskId},
          {"created_at", r.createdAt},
          {"received_at", r.receivedAt},
          {"client_name", r.clientName},
          {"phone", r.phone},
          {"email", r.email},
          {"concern", r.concern},
          {"loss_stage", r.lossStage},
          {"revision", r.revision},
          {"health_flags", r.healthFlags},
          {"follow_up", r.followUp}};
}

// What a revision changed from the one before: one entry per field, with the values before
// and after for answers (a photo or preview says only that it was replaced, added or removed).
json revisionChanges(const json& before, const json& after) {
  json changes = json::array();
  const auto scalar = [](const json& v) -> json {
    if (v.is_null()) return "";
    return v.is_structured() ? json(v.dump()) : v;
  };
  const auto compareObjects = [&](const std::string& prefix, const json& a, const json& b,
                                  const auto& self) -> void {
    std::map<std::string, std::pair<json, json>> keys;
    for (auto it = a.begin(); it != a.end(); ++it) keys[it.key()].first = it.value();
    for (auto it = b.begin(); it != b.end(); ++it) keys[it.key()].second = it.value();
    for (const auto& [key, values] : keys) {
      const auto& [x, y] = values;
      if (x == y) continue;
      if (x.is_object() && y.is_object()) {
        self(prefix + key + ".", x, y, self);
      } else {
        changes.push_back({{"field", prefix + key}, {"before", scalar(x)}, {"after", scalar(y)}});
      }
    }
  };
  const auto blobsByRole = [](const json& record, const char* list) {
    std::map<std::string, std::string> out;
    for (const auto& b : record.value(list, json::array()))
      if (b.is_object()) out[b.value("role", "")] = b.value("sha256", "");
    return out;
  };
  for (const char* list : {"photos", "previews"}) {
    const auto a = blobsByRole(before, list), b = blobsByRole(after, list);
    std::map<std::string, int> roles;
    for (const auto& [role, sha] : a) roles[role] |= 1;
    for (const auto& [role, sha] : b) roles[role] |= 2;
    for (const auto& [role, where] : roles) {
      const char* what = where == 1 ? "removed" : where == 2 ? "added" : nullptr;
      if (!what && a.at(role) == b.at(role)) continue;
      changes.push_back(
          {{"field", std::string(list) + "." + role}, {"photo", what ? what : "replaced"}});
    }
  }
  json a = before, b = after;
  for (json* r : {&a, &b}) {
    for (const char* skip : {"photos", "previews", "revision", "protocol"}) r->erase(skip);
  }
  compareObjects("", a, b, compareObjects);
  return changes;
}

json followUpJson(const protocol::FollowUp& f) {
  return {{"status", f.status}, {"note", f.note}, {"author", f.author}, {"at", f.at}};
}

const std::map<std::string, std::string>& contentTypes() {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".woff2", "font/woff2"},
      {".json", "application/json"}};
  return types;
}

bool safeRelativePath(const std::string& p) {
  if (p.empty() || p.size() > 200 || p.front() == '/') return false;
  if (p.find("..") != std::string::npos || p.find('\\') != std::string::npos) return false;
  for (const char c : p) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

OfficeWeb::OfficeWeb(OfficeStorage& office, ServerStorage& sync, std::filesystem::path webRoot,
                     bool secureCookies, Log log, OfficeAccounts::Clock now,
                     const std::filesystem::path& exportsFolder)
    : m_office(office),
      m_sync(sync),
      m_webRoot(std::move(webRoot)),
      m_secureCookies(secureCookies),
      m_log(std::move(log)),
      m_accounts(office, std::move(now)) {
  if (!exportsFolder.empty()) {
    // Without a folder for them, photo ZIPs are off (503 with the reason), not the server.
    try {
      m_exports = std::make_unique<PhotoExports>(m_office, m_sync, exportsFolder,
                                                 [this] { return m_accounts.now(); });
    } catch (const std::exception& e) {
      if (m_log) {
        m_log("photo exports are off: cannot use " + exportsFolder.string() + ": " + e.what());
      }
    }
  }
}

OfficeWeb::~OfficeWeb() = default;

std::optional<CurrentSession> OfficeWeb::requireSession(const httplib::Request& req,
                                                        httplib::Response& res) {
  auto current = m_accounts.sessionFor(cookieValue(req));
  if (!current) fail(res, 401, "sign in first (sessions end after 30 minutes without use)");
  return current;
}

bool OfficeWeb::requireCsrf(const httplib::Request& req, httplib::Response& res,
                            const CurrentSession& s) {
  const std::string token = req.get_header_value("X-CSRF-Token");
  if (token.size() == s.session.csrfToken.size() &&
      sodium_memcmp(token.data(), s.session.csrfToken.data(), token.size()) == 0) {
    return true;
  }
  fail(res, 403, "this change needs the page's CSRF token: reload the page and try again");
  return false;
}

std::optional<CurrentSession> OfficeWeb::requireAdminChange(const httplib::Request& req,
                                                            httplib::Response& res) {
  auto s = requireSession(req, res);
  if (!s || !requireCsrf(req, res, *s)) return std::nullopt;
  if (s->user.role != OfficeRole::kAdmin) {
    fail(res, 403, "only an admin can change kiosks");
    return std::nullopt;
  }
  return s;
}

void OfficeWeb::audit(const CurrentSession& who, const std::string& action,
                      const std::string& target, const std::string& detail) {
  m_office.audit({"", who.user.name, action, target, detail});
}

void OfficeWeb::serveFile(const std::string& relative, httplib::Response& res) {
  const auto dot = relative.rfind('.');
  const auto type =
      dot == std::string::npos ? contentTypes().end() : contentTypes().find(relative.substr(dot));
  if (!safeRelativePath(relative) || type == contentTypes().end()) {
    return fail(res, 404, "no such page");
  }
  std::ifstream in(m_webRoot / relative, std::ios::binary);
  if (!in) return fail(res, 404, "no such page");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  securityHeaders(res);
  res.set_header("Cache-Control", "no-cache");
  res.status = 200;
  res.set_content(std::move(bytes), type->second);
}

void OfficeWeb::install(httplib::Server& http) {
  installPhotoExports(http);
  http.Get("/", [](const httplib::Request&, httplib::Response& res) {
    securityHeaders(res);
    res.set_redirect("/app/");
  });
  http.Get("/app/", [this](const httplib::Request&, httplib::Response& res) {
    serveFile("index.html", res);
  });
  http.Get(R"(/app/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
    serveFile(req.matches[1], res);
  });

  http.Post("/api/session", [this](const httplib::Request& req, httplib::Response& res) {
    // A cross-site form cannot send JSON without a CORS preflight, which this server refuses.
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      return fail(res, 415, "send the sign-in as application/json");
    }
    std::string name, password;
    try {
      const json body = protocol::parseUntrustedJson(req.body, kMaxOfficeBodyBytes);
      name = protocol::stringField(body, "name", 64);
      password = protocol::stringField(body, "password", 256);
    } catch (const protocol::ProtocolError& e) {
      return fail(res, 400, std::string("sign-in: ") + e.what());
    }
    auto result = m_accounts.signIn(name, password, req.remote_addr);
    if (auto* refused = std::get_if<SignInRefused>(&result)) {
      m_log("sign-in refused for account " + name + " from " + req.remote_addr);
      if (refused->retryAfterSeconds > 0) {
        res.set_header("Retry-After", std::to_string(refused->retryAfterSeconds));
        return fail(res, 429, refused->message);
      }
      return fail(res, 401, refused->message);
    }
    const auto& in = std::get<SignedIn>(result);
    res.set_header("Set-Cookie", std::string(kCookieName) + "=" + in.cookieValue +
                                     "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                     std::to_string(kSessionMaxSeconds) +
                                     (m_secureCookies ? "; Secure" : ""));
    m_office.audit({"", in.user.name, "sign-in", in.user.name, req.remote_addr});
    json body = userJson(in.user);
    body["csrf_token"] = in.csrfToken;
    answer(res, 200, body);
  });

  http.Get("/api/session", [this](const httplib::Request& req, httplib::Response& res) {
    const auto s = requireSession(req, res);
    if (!s) return;
    json body = userJson(s->user);
    body["csrf_token"] = s->session.csrfToken;
    answer(res, 200, body);
  });

  http.Delete("/api/session", [this](const httplib::Request& req, httplib::Response& res) {
    const auto s = requireSession(req, res);
    if (!s || !requireCsrf(req, res, *s)) return;
    m_accounts.signOut(cookieValue(req));
    audit(*s, "sign-out", s->user.name);
    res.set_header("Set-Cookie", std::string(kCookieName) +
                                     "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
                                     (m_secureCookies ? "; Secure" : ""));
    answer(res, 200, json{{"signed_out", true}});
  });

  http.Get("/api/clinics", [this](const httplib::Request& req, httplib::Response& res) {
    const auto s = requireSession(req, res);
    if (!s) return;
    answer(res, 200, json{{"clinics", m_office.clinics(OfficeAccounts::scopeOf(s->user))}});
  });

  http.Get("/api/consultations", [this](const httplib::Request& req, httplib::Response& res) {
    const auto s = requireSession(req, res);
    if (!s) return;
    ConsultationQuery q;
    q.scope = OfficeAccounts::scopeOf(s->user);
    if (const auto why = readQuery(req, q)) return fail(res, 400, *why);
    const ConsultationPage result = m_office.consultations(q);
    json rows = json::array();
    for (const auto& r : result.rows) rows.push_back(rowJson(r));
    answer(
        res, 200,
        json{{"total", result.total}, {"page", q.page}, {"per_page", q.perPage}, {"rows", rows}});
  });

  http.Get(R"(/api/consultations/([^/]+))", [this](const httplib::Request& req,
                                                   httplib::Response& res) {
    const auto s = requireSession(req, res);
    if (!s) return;
    const std::string id = req.matches[1];
    const auto d = m_office.consultation(OfficeAccounts::scopeOf(s->user), id);
    if (!d) return fail(res, 404, "no such consultation");
    audit(*s, "view", id);
    json revisions = json::array();
    for (std::size_t i = 0; i < d->revisions.size(); ++i) {
      const auto& r = d->revisions[i];
      json entry = {{"revision", r.revision}, {"sha256", r.sha256}, {"received_at", r.receivedAt}};
      // What changed, where both records are kept (revisions stored since then).
      if (i > 0 && d->revisions[i - 1].record.is_object() && r.record.is_object()) {
        entry["changes"] = revisionChanges(d->revisions[i - 1].record, r.record);
      }
      revisions.push_back(entry);
    }
    json viewedBy = json::array();
    for (const auto& e : m_office.auditEntries(id, 50)) {
      viewedBy.push_back({{"at", e.at}, {"user", e.user}, {"action", e.action}});
    }
    json followUps = json::array();
    for (const auto& f : d->followUps) followUps.push_back(followUpJson(f));
    json body = rowJson(d->row);
    body["record"] = d->record;
    body["revisions"] = revisions;
    body["follow_ups"] = followUps;
    body["can_follow_up"] = s->user.role != OfficeRole::kAnalyst;
    body["audit"] = viewedBy;
    answer(res, 200, body);
  });

  http.Get(R"(/api/consultations/([^/]+)/blobs/([0-9a-f]{64}))",
           [this](const httplib::Request& req, httplib::Response& res) {
             const auto s = requireSession(req, res);
             if (!s) return;
             const std::string id = req.matches[1], sha = req.matches[2];
             const auto d = m_office.consultation(OfficeAccounts::scopeOf(s->user), id);
             if (!d) return fail(res, 404, "no such photo");
             // Only a photo or preview this record names: a hash alone opens nothing.
             std::string mime;
             for (const char* list : {"photos", "previews"}) {
               for (const auto& b : d->record.value(list, json::array())) {
                 if (b.is_object() && b.value("sha256", "") == sha) mime = b.value("mime", "");
               }
             }
             if (mime != "image/jpeg" && mime != "image/png")
               return fail(res, 404, "no such photo");
             auto bytes = m_sync.blob(sha);
             if (!bytes) return fail(res, 404, "no such photo");
             audit(*s, "photo", id, sha.substr(0, 12));
             securityHeaders(res);
             res.set_header("Cache-Control", "private, no-store");
             res.status = 200;
             res.set_content(std::move(*bytes), mime);
           });

  http.Get("/api/overview", [this](const httplib::Request& req, httplib::Response& res) {
    const auto s = requireSession(req, res);
    if (!s) return;
    std::string from, to;
    if (const auto why = param(req, "from", 10, from)) return fail(res, 400, *why);
    if (const auto why = param(req, "to", 10, to)) return fail(res, 400, *why);
    if ((!from.empty() && !isDate(from)) || (!to.empty() && !isDate(to))) {
      return fail(res, 400, "'from' and 'to' are dates written YYYY-MM-DD");
    }
    const ClinicScope scope = OfficeAccounts::scopeOf(s->user);
    const OverviewFigures f = m_office.overview(scope, from, to);
    json weeks = json::array(), stages = json::array(), concerns = json::array();
    for (const auto& w : f.perWeek)
      weeks.push_back({{"week", w.week}, {"clinic", w.clinic}, {"count", w.count}});
    for (const auto& x : f.stages) stages.push_back({{"stage", x.key}, {"count", x.count}});
    for (const auto& x : f.concerns) concerns.push_back({{"concern", x.key}, {"count", x.count}});
    // The funnel in its own order, every step present (a step nobody reached shows as 0).
    json funnel = json::array();
    for (const auto status : protocol::kFollowUpStatuses) {
      std::int64_t count = 0;
      for (const auto& x : f.followUps)
        if (x.key == status) count = x.count;
      funnel.push_back({{"status", std::string(status)}, {"count", count}});
    }
    // Sync lag per kiosk: how long since each was heard from, and what it still holds.
    json lag = json::array();
    for (const auto& k : m_sync.kiosks()) {
      if (k.revoked || (!scope.allClinics && std::find(scope.clinics.begin(), scope.clinics.end(),
                                                       k.clinic) == scope.clinics.end()))
        continue;
      const json hb = k.lastHeartbeat.is_object() ? k.lastHeartbeat : json::object();
      lag.push_back({{"kiosk_id", k.kioskId},
                     {"clinic", k.clinic},
                     {"last_seen_at", k.lastSeenAt},
                     {"pending", hb.value("pending", 0)},
                     {"oldest_pending_age_seconds", hb.value("oldest_pending_age_seconds", -1)}});
    }
    answer(res, 200,
           json{{"per_week", weeks},
                {"stages", stages},
                {"concerns", concerns},
                {"follow_ups", funnel},
                {"total", f.total},
                {"flagged", f.flagged},
                {"sync_lag", lag}});
  });

  // The table's current filter as CSV or JSON Lines, streamed in batches as the browser reads
  // it: nothing is held whole in memory, whatever its size.
  http.Get("/api/export", [this](const httplib::Request& req, httplib::Response& res) {
    const auto s = requireSession(req, res);
    if (!s) return;
    ConsultationQuery q;
    q.scope = OfficeAccounts::scopeOf(s->user);
    if (const auto why = readQuery(req, q)) return fail(res, 400, *why);
    const std::string format = req.has_param("format") ? req.get_param_value("format") : "csv";
    if (format != "csv" && format != "jsonl") return fail(res, 400, "'format' is csv or jsonl");
    const ExportFormat f = format == "csv" ? ExportFormat::kCsv : ExportFormat::kJsonl;
    audit(*s, "export", format, filterText(req));
    securityHeaders(res);
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Disposition", "attachment; filename=\"consultations." + format + "\"");
    struct Cursor {
      std::string createdAt, id;
      bool headerSent = false;
    };
    auto cursor = std::make_shared<Cursor>();
    res.set_chunked_content_provider(
        f == ExportFormat::kCsv ? "text/csv; charset=utf-8" : "application/x-ndjson",
        [this, q, f, cursor](std::size_t, httplib::DataSink& sink) {
          std::string chunk;
          if (!cursor->headerSent) {
            chunk = exportHeader(f);
            cursor->headerSent = true;
          }
          const auto batch = m_office.exportBatch(q, cursor->createdAt, cursor->id, 500);
          for (const auto& c : batch) chunk += exportLine(c, f);
          if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
          if (batch.empty()) {
            sink.done();
          } else {
            cursor->createdAt = batch.back().record.value("created_at", "");
            cursor->id = batch.back().id;
          }
          return true;
        });
  });

  http.Get("/api/kiosks", [this](const httplib::Request& req, httplib::Response& res) {
    const auto s = requireSession(req, res);
    if (!s) return;
    const ClinicScope scope = OfficeAccounts::scopeOf(s->user);
    json kiosks = json::array();
    for (const auto& k : m_sync.kiosks()) {
      if (!scope.allClinics &&
          std::find(scope.clinics.begin(), scope.clinics.end(), k.clinic) == scope.clinics.end())
        continue;
      kiosks.push_back(
          {{"kiosk_id", k.kioskId},
           {"clinic", k.clinic},
           {"revoked", k.revoked},
           {"last_seen_at", k.lastSeenAt},
           {"heartbeat", k.lastHeartbeat.is_object() ? k.lastHeartbeat : json::object()}});
    }
    answer(res, 200, json{{"kiosks", kiosks}, {"can_change", s->user.role == OfficeRole::kAdmin}});
  });

  // Admins only: a new kiosk (its token shown once), revoking one, a new token for one.
  http.Post("/api/kiosks", [this](const httplib::Request& req, httplib::Response& res) {
    const auto s = requireAdminChange(req, res);
    if (!s) return;
    std::string clinic;
    try {
      clinic = protocol::stringField(protocol::parseUntrustedJson(req.body, kMaxOfficeBodyBytes),
                                     "clinic", 200);
    } catch (const protocol::ProtocolError& e) {
      return fail(res, 400, std::string("new kiosk: ") + e.what());
    }
    if (clinic.empty()) return fail(res, 400, "new kiosk: the clinic's name is needed");
    const NewKiosk k = m_sync.addKiosk(clinic);
    const auto code =
        m_sync.issueEnrolmentCode(k.kioskId, m_accounts.now() + kEnrolmentCodeSeconds);
    audit(*s, "kiosk.add", k.kioskId, clinic);
    answer(res, 200,
           json{{"kiosk_id", k.kioskId},
                {"clinic", clinic},
                {"enrolment_code", code->code},
                {"code_expires_at", code->expiresAt},
                {"token", k.token}});
  });

  http.Post(R"(/api/kiosks/([A-Za-z0-9-]{1,64})/(revoke|rotate|code))",
            [this](const httplib::Request& req, httplib::Response& res) {
              const auto s = requireAdminChange(req, res);
              if (!s) return;
              const std::string id = req.matches[1], action = req.matches[2];
              if (action == "revoke") {
                if (!m_sync.revokeKiosk(id)) return fail(res, 404, "no such kiosk");
                audit(*s, "kiosk.revoke", id);
                return answer(res, 200, json{{"kiosk_id", id}, {"revoked", true}});
              }
              if (action == "code") {
                const auto code =
                    m_sync.issueEnrolmentCode(id, m_accounts.now() + kEnrolmentCodeSeconds);
                if (!code) return fail(res, 404, "no such kiosk");
                audit(*s, "kiosk.enrolment_code", id);
                return answer(res, 200,
                              json{{"kiosk_id", id},
                                   {"enrolment_code", code->code},
                                   {"code_expires_at", code->expiresAt}});
              }
              const auto token = m_sync.rotateKioskToken(id);
              if (!token) return fail(res, 404, "no such kiosk");
              audit(*s, "kiosk.rotate", id);
              answer(res, 200, json{{"kiosk_id", id}, {"token", *token}});
            });

  // Right to erasure, asked of head office: the record, its revisions and photos go here, and
  // the kiosk that holds it removes its copy on its next sync.
  http.Post(R"(/api/consultations/([^/]+)/erase)",
            [this](const httplib::Request& req, httplib::Response& res) {
              auto s = requireSession(req, res);
              if (!s || !requireCsrf(req, res, *s)) return;
              if (s->user.role != OfficeRole::kAdmin) {
                return fail(res, 403, "only an admin can erase a consultation");
              }
              const std::string id = req.matches[1];
              if (!m_office.consultation(OfficeAccounts::scopeOf(s->user), id)) {
                return fail(res, 404, "no such consultation");
              }
              std::string erasedAt;
              const auto kioskId = m_sync.eraseAtHeadOffice(id, erasedAt);
              if (!kioskId) return fail(res, 404, "no such consultation");
              audit(*s, "erase", id, "kiosk " + *kioskId + " told to remove its copy");
              answer(res, 200, json{{"id", id}, {"erased_at", erasedAt}, {"kiosk_id", *kioskId}});
            });

  // Config: what every kiosk pulls (prices, consent texts, languages, idle timeouts). Everyone
  // reads it; an admin publishes a new one. Every consent text ever published is listed, so the
  // one a client signed stays readable.
  http.Get("/api/config", [this](const httplib::Request& req, httplib::Response& res) {
    const auto s = requireSession(req, res);
    if (!s) return;
    const auto [config, etag] = m_sync.config();
    const json current = config.value("consent_texts", json::object());
    json texts = json::array();
    for (const auto& t : m_sync.consentTexts()) {
      bool inUse = false;
      if (current.contains(t.language) && current[t.language].is_object()) {
        const json& c = current[t.language];
        inUse =
            protocol::consentTextSha256(c.value("version", ""), c.value("text", "")) == t.sha256;
      }
      texts.push_back({{"sha256", t.sha256},
                       {"language", t.language},
                       {"version", t.version},
                       {"first_published_at", t.firstPublishedAt},
                       {"in_use", inUse}});
    }
    answer(res, 200,
           json{{"config", config},
                {"etag", etag},
                {"consent_texts", texts},
                {"can_change", s->user.role == OfficeRole::kAdmin}});
  });

  http.Post("/api/config", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = requireSession(req, res);
    if (!s || !requireCsrf(req, res, *s)) return;
    if (s->user.role != OfficeRole::kAdmin) return fail(res, 403, "only an admin publishes config");
    json config;
    try {
      config = protocol::parseUntrustedJson(req.body, protocol::kMaxConfigBytes);
      protocol::validateConfig(config);
    } catch (const protocol::ProtocolError& e) {
      return fail(res, 400, std::string("config: ") + e.what());
    }
    for (const auto& [language, t] : config["consent_texts"].items()) {
      if (!isTypedText(t["version"].get<std::string>()) ||
          !typedNote(t["text"].get<std::string>())) {
        return fail(res, 400,
                    "config: the consent text for '" + language +
                        "' holds control characters or bytes that are not UTF-8");
      }
    }
    if (const auto clash = consentVersionClash(m_sync, config)) return fail(res, 400, *clash);
    m_sync.setConfig(config);
    const std::string etag = m_sync.config().second;
    audit(*s, "config.publish", "config", etag);
    answer(res, 200, json{{"etag", etag}});
  });

  // A consent text by the hash a record carries: the text exactly as the client signed it.
  http.Get(R"(/api/consent-texts/([0-9a-f]{64}))",
           [this](const httplib::Request& req, httplib::Response& res) {
             const auto s = requireSession(req, res);
             if (!s) return;
             const auto t = m_sync.consentText(req.matches[1]);
             if (!t) return fail(res, 404, "head office holds no consent text with this hash");
             answer(res, 200,
                    json{{"sha256", t->sha256},
                         {"language", t->language},
                         {"version", t->version},
                         {"text", t->text},
                         {"first_published_at", t->firstPublishedAt}});
           });

  // Follow-up: a new status and a note from an admin or the clinic's manager (an analyst only
  // reads). The kiosk that took the consultation receives it on its next sync.
  http.Post(R"(/api/consultations/([^/]+)/follow-up)", [this](const httplib::Request& req,
                                                              httplib::Response& res) {
    auto s = requireSession(req, res);
    if (!s || !requireCsrf(req, res, *s)) return;
    if (s->user.role == OfficeRole::kAnalyst) {
      return fail(res, 403,
                  "an analyst reads and exports; follow-up is for admins "
                  "and clinic managers");
    }
    std::string status, rawNote;
    try {
      const json body = protocol::parseUntrustedJson(req.body, kMaxOfficeBodyBytes);
      status = protocol::stringField(body, "status", 20);
      rawNote =
          body.contains("note") ? protocol::stringField(body, "note", kMaxOfficeBodyBytes) : "";
    } catch (const protocol::ProtocolError& e) {
      return fail(res, 400, std::string("follow-up: ") + e.what());
    }
    if (!protocol::isFollowUpStatus(status)) {
      return fail(res, 400,
                  "follow-up: the status is one of new, contacted, booked, treated, "
                  "not_interested");
    }
    const auto note = typedNote(rawNote);
    if (!note) {
      return fail(res, 400,
                  "follow-up: the note holds control characters or bytes that are not "
                  "UTF-8");
    }
    if (note->size() > protocol::kMaxFollowUpNoteBytes) {
      return fail(res, 400,
                  "follow-up: the note is longer than " +
                      std::to_string(protocol::kMaxFollowUpNoteBytes) +
                      " bytes; shorten it or write two notes");
    }
    const std::string id = req.matches[1];
    const auto added =
        m_office.addFollowUp(OfficeAccounts::scopeOf(s->user), id, status, *note, s->user.name);
    if (!added) return fail(res, 404, "no such consultation");
    audit(*s, "follow_up", id, status);
    answer(res, 200, followUpJson(*added));
  });

  // Admins only: head-office accounts, as 'smp-server user add|list|disable' manages them.
  http.Get("/api/users", [this](const httplib::Request& req, httplib::Response& res) {
    const auto s = requireSession(req, res);
    if (!s) return;
    if (s->user.role != OfficeRole::kAdmin) return fail(res, 404, "no such page");
    json users = json::array();
    for (const auto& u : m_office.users()) {
      users.push_back({{"name", u.name},
                       {"role", roleName(u.role)},
                       {"clinics", u.clinics},
                       {"disabled", u.disabled},
                       {"created_at", u.createdAt},
                       {"is_you", u.id == s->user.id}});
    }
    answer(res, 200, json{{"users", users}});
  });

  http.Post("/api/users", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = requireSession(req, res);
    if (!s || !requireCsrf(req, res, *s)) return;
    if (s->user.role != OfficeRole::kAdmin) return fail(res, 403, "only an admin can add accounts");
    std::string name, roleText, password;
    std::vector<std::string> clinics;
    try {
      const json body = protocol::parseUntrustedJson(req.body, kMaxOfficeBodyBytes);
      if (!body.is_object()) return fail(res, 400, "new account: expected a JSON object");
      name = protocol::stringField(body, "name", 64);
      roleText = protocol::stringField(body, "role", 20);
      password = protocol::stringField(body, "password", 256);
      if (body.contains("clinics")) {
        const json& list = body["clinics"];
        if (!list.is_array() || list.size() > 50)
          return fail(res, 400, "new account: clinics is a list of at most 50 names");
        for (const json& c : list) {
          if (!c.is_string()) return fail(res, 400, "new account: each clinic is a name");
          clinics.push_back(c.get<std::string>());
        }
      }
    } catch (const protocol::ProtocolError& e) {
      return fail(res, 400, std::string("new account: ") + e.what());
    }
    const auto role = parseRole(roleText);
    if (!role) return fail(res, 400, "the role is admin, analyst or clinic-manager");
    try {
      const OfficeUser u = m_accounts.addUser(name, *role, clinics, password);
      audit(*s, "user.add", u.name, roleName(u.role));
      answer(res, 200, json{{"name", u.name}, {"role", roleName(u.role)}, {"clinics", u.clinics}});
    } catch (const std::invalid_argument& e) {
      fail(res, 400, e.what());
    }
  });

  http.Post(R"(/api/users/([A-Za-z0-9._@-]{1,64})/disable)",
            [this](const httplib::Request& req, httplib::Response& res) {
              auto s = requireSession(req, res);
              if (!s || !requireCsrf(req, res, *s)) return;
              if (s->user.role != OfficeRole::kAdmin)
                return fail(res, 403, "only an admin can disable accounts");
              const std::string name = req.matches[1];
              // There is always an admin who can sign in: nobody disables their own account.
              if (name == s->user.name)
                return fail(res, 400, "you cannot disable your own account");
              if (!m_office.disableUser(name)) return fail(res, 404, "no such account");
              audit(*s, "user.disable", name);
              answer(res, 200, json{{"name", name}, {"disabled", true}});
            });

  http.Post("/api/me/password", [this](const httplib::Request& req, httplib::Response& res) {
    auto s = requireSession(req, res);
    if (!s || !requireCsrf(req, res, *s)) return;
    std::string current, next;
    try {
      const json body = protocol::parseUntrustedJson(req.body, kMaxOfficeBodyBytes);
      if (!body.is_object()) return fail(res, 400, "new password: expected a JSON object");
      current = protocol::stringField(body, "current", 256);
      next = protocol::stringField(body, "new", 256);
    } catch (const protocol::ProtocolError& e) {
      return fail(res, 400, std::string("new password: ") + e.what());
    }
    if (const auto refused = m_accounts.changePassword(*s, current, next)) {
      if (refused->status == 403) audit(*s, "password.change_refused", s->user.name);
      if (refused->status == 429) {
        res.set_header("Retry-After", std::to_string(kSignInWindowSeconds));
      }
      return fail(res, refused->status, refused->message);
    }
    audit(*s, "password.change", s->user.name);
    answer(res, 200, json{{"changed", true}});
  });

  http.Get("/api/audit", [this](const httplib::Request& req, httplib::Response& res) {
    const auto s = requireSession(req, res);
    if (!s) return;
    if (s->user.role != OfficeRole::kAdmin) return fail(res, 404, "no such page");
    std::string target;
    if (const auto why = param(req, "target", 200, target)) return fail(res, 400, *why);
    json entries = json::array();
    for (const auto& e : m_office.auditEntries(target, 500)) {
      entries.push_back({{"at", e.at},
                         {"user", e.user},
                         {"action", e.action},
                         {"target", e.target},
                         {"detail", e.detail}});
    }
    answer(res, 200, json{{"entries", entries}});
  });
}

}  // namespace smp::server
