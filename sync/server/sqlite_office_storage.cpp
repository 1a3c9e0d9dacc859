// SqliteServerStorage's half for the head-office web application (office_storage.h).

#include <stdexcept>

#include "sync/protocol/consultation.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/untrusted_json.h"
#include "sync/server/sqlite_server_storage.h"
#include "sync/server/storage_common.h"

namespace smp::server {
namespace {

using storage::clinicsFrom;
using storage::likeLiteral;

constexpr const char* kUserColumns =
    "SELECT id, name, role, clinics_json, password_hash, disabled, created_at FROM office_users ";

OfficeUser readUser(sqlite::Statement& st) {
  OfficeUser u;
  u.id = st.columnText(0);
  u.name = st.columnText(1);
  u.role = parseRole(st.columnText(2)).value_or(OfficeRole::kClinicManager);
  u.clinics = clinicsFrom(st.columnText(3));
  u.passwordHash = st.columnText(4);
  u.disabled = st.columnInt(5) != 0;
  u.createdAt = st.columnText(6);
  return u;
}

// One WHERE clause for the page and its count. Parameters ?1-?12 as bound by bindFilter.
constexpr const char* kConsultationFilter =
    "FROM consultations c "
    "WHERE (?1 = 1 OR c.clinic IN (SELECT value FROM json_each(?2))) "
    "AND (?3 = '' OR c.clinic = ?3) AND (?4 = '' OR c.kiosk_id = ?4) "
    "AND (?5 = '' OR c.concern = ?5) AND (?6 = '' OR c.loss_stage = ?6) "
    "AND (?7 = '' OR c.created_at >= ?7) AND (?8 = '' OR c.created_at < ?8 || '~') "
    "AND (?9 = 0 OR c.health_flag_count > 0) AND (?11 = '' OR c.follow_up = ?11) "
    "AND (?12 = '' OR c.consent_key IN "
    "     (SELECT substr(sha256, 1, 16) FROM consent_texts WHERE version = ?12)) "
    "AND (?10 = '' OR c.client_name LIKE '%' || ?10 || '%' ESCAPE '\\' "
    "     OR c.phone LIKE '%' || ?10 || '%' ESCAPE '\\' "
    "     OR c.email LIKE '%' || ?10 || '%' ESCAPE '\\') ";

void bindScope(sqlite::Statement& st, const ClinicScope& scope) {
  st.bind(1, scope.allClinics ? 1 : 0).bind(2, nlohmann::json(scope.clinics).dump());
}

void bindFilter(sqlite::Statement& st, const ConsultationQuery& q) {
  bindScope(st, q.scope);
  st.bind(3, q.clinic)
      .bind(4, q.kioskId)
      .bind(5, q.concern)
      .bind(6, q.lossStage)
      .bind(7, q.fromDate)
      .bind(8, q.toDate)
      .bind(9, q.flaggedOnly ? 1 : 0)
      .bind(10, likeLiteral(q.text))
      .bind(11, q.followUp)
      .bind(12, q.consentVersion);
}

constexpr const char* kRowColumns =
    "SELECT c.id, c.clinic, c.kiosk_id, COALESCE(c.created_at, ''), c.received_at, "
    "COALESCE(c.client_name, ''), COALESCE(c.phone, ''), COALESCE(c.email, ''), "
    "COALESCE(c.concern, ''), COALESCE(c.loss_stage, ''), c.revision, c.health_flag_count, "
    "c.follow_up ";

ConsultationRow readRow(sqlite::Statement& st) {
  ConsultationRow r;
  r.id = st.columnText(0);
  r.clinic = st.columnText(1);
  r.kioskId = st.columnText(2);
  r.createdAt = st.columnText(3);
  r.receivedAt = st.columnText(4);
  r.clientName = st.columnText(5);
  r.phone = st.columnText(6);
  r.email = st.columnText(7);
  r.concern = st.columnText(8);
  r.lossStage = st.columnText(9);
  r.revision = static_cast<int>(st.columnInt(10));
  r.healthFlags = static_cast<int>(st.columnInt(11));
  r.followUp = st.columnText(12);
  return r;
}

}  // namespace

const char* roleName(OfficeRole role) {
  switch (role) {
    case OfficeRole::kAdmin:
      return "admin";
    case OfficeRole::kAnalyst:
      return "analyst";
    case OfficeRole::kClinicManager:
      return "clinic-manager";
  }
  return "clinic-manager";
}

std::optional<OfficeRole> parseRole(const std::string& name) {
  for (const OfficeRole r : {OfficeRole::kAdmin, OfficeRole::kAnalyst, OfficeRole::kClinicManager})
    if (name == roleName(r)) return r;
  return std::nullopt;
}

OfficeUser SqliteServerStorage::addUser(const OfficeUser& user) {
  std::lock_guard lock(m_mutex);
  sqlite::Transaction tx(m_db);
  {
    sqlite::Statement taken(m_db, "SELECT 1 FROM office_users WHERE name = ?");
    taken.bind(1, user.name);
    if (taken.step()) {
      throw std::invalid_argument("there is already an account named '" + user.name + "'");
    }
  }
  OfficeUser u = user;
  u.id = "user-" + protocol::randomHex(8);
  u.createdAt = protocol::nowIso8601Utc();
  sqlite::Statement(m_db,
                    "INSERT INTO office_users(id, name, role, clinics_json, password_hash, "
                    "disabled, created_at) VALUES(?,?,?,?,?,0,?)")
      .bind(1, u.id)
      .bind(2, u.name)
      .bind(3, roleName(u.role))
      .bind(4, nlohmann::json(u.clinics).dump())
      .bind(5, u.passwordHash)
      .bind(6, u.createdAt)
      .run();
  tx.commit();
  return u;
}

std::vector<OfficeUser> SqliteServerStorage::users() {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db, std::string(kUserColumns) + "ORDER BY name");
  std::vector<OfficeUser> out;
  while (st.step()) out.push_back(readUser(st));
  return out;
}

std::optional<OfficeUser> SqliteServerStorage::userByName(const std::string& name) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db, std::string(kUserColumns) + "WHERE name = ?");
  st.bind(1, name);
  if (!st.step()) return std::nullopt;
  return readUser(st);
}

std::optional<OfficeUser> SqliteServerStorage::userById(const std::string& id) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db, std::string(kUserColumns) + "WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return readUser(st);
}

bool SqliteServerStorage::disableUser(const std::string& name) {
  std::lock_guard lock(m_mutex);
  sqlite::Transaction tx(m_db);
  sqlite::Statement(m_db, "UPDATE office_users SET disabled = 1 WHERE name = ?")
      .bind(1, name)
      .run();
  if (m_db.changes() == 0) return false;
  sqlite::Statement(m_db,
                    "DELETE FROM office_sessions WHERE user_id IN "
                    "(SELECT id FROM office_users WHERE name = ?)")
      .bind(1, name)
      .run();
  tx.commit();
  return true;
}

bool SqliteServerStorage::setPasswordHash(const std::string& userId,
                                          const std::string& passwordHash,
                                          const std::string& keepSessionSha256) {
  std::lock_guard lock(m_mutex);
  sqlite::Transaction tx(m_db);
  sqlite::Statement(m_db, "UPDATE office_users SET password_hash = ? WHERE id = ?")
      .bind(1, passwordHash)
      .bind(2, userId)
      .run();
  if (m_db.changes() == 0) return false;
  sqlite::Statement(m_db, "DELETE FROM office_sessions WHERE user_id = ? AND id_sha256 <> ?")
      .bind(1, userId)
      .bind(2, keepSessionSha256)
      .run();
  tx.commit();
  return true;
}

void SqliteServerStorage::createSession(const OfficeSession& s) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement(m_db,
                    "INSERT INTO office_sessions(id_sha256, user_id, csrf_token, created_unix, "
                    "last_seen_unix) VALUES(?,?,?,?,?)")
      .bind(1, s.idSha256)
      .bind(2, s.userId)
      .bind(3, s.csrfToken)
      .bind(4, s.createdUnix)
      .bind(5, s.lastSeenUnix)
      .run();
}

std::optional<OfficeSession> SqliteServerStorage::session(const std::string& idSha256) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db,
                       "SELECT id_sha256, user_id, csrf_token, created_unix, last_seen_unix "
                       "FROM office_sessions WHERE id_sha256 = ?");
  st.bind(1, idSha256);
  if (!st.step()) return std::nullopt;
  return OfficeSession{st.columnText(0), st.columnText(1), st.columnText(2), st.columnInt(3),
                       st.columnInt(4)};
}

void SqliteServerStorage::touchSession(const std::string& idSha256, std::int64_t nowUnix) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement(m_db, "UPDATE office_sessions SET last_seen_unix = ? WHERE id_sha256 = ?")
      .bind(1, nowUnix)
      .bind(2, idSha256)
      .run();
}

void SqliteServerStorage::deleteSession(const std::string& idSha256) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement(m_db, "DELETE FROM office_sessions WHERE id_sha256 = ?")
      .bind(1, idSha256)
      .run();
}

void SqliteServerStorage::recordSignInFailure(const std::string& key, std::int64_t atUnix) {
  std::lock_guard lock(m_mutex);
  sqlite::Transaction tx(m_db);
  // Failures older than a day never count again: the table stays small.
  sqlite::Statement(m_db, "DELETE FROM office_signin_failures WHERE at_unix < ?")
      .bind(1, atUnix - 24 * 3600)
      .run();
  sqlite::Statement(m_db, "INSERT INTO office_signin_failures(key, at_unix) VALUES(?,?)")
      .bind(1, key)
      .bind(2, atUnix)
      .run();
  tx.commit();
}

int SqliteServerStorage::signInFailuresSince(const std::string& key, std::int64_t sinceUnix) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(
      m_db, "SELECT COUNT(*) FROM office_signin_failures WHERE key = ? AND at_unix >= ?");
  st.bind(1, key).bind(2, sinceUnix);
  st.step();
  return static_cast<int>(st.columnInt(0));
}

void SqliteServerStorage::clearSignInFailures(const std::string& key) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement(m_db, "DELETE FROM office_signin_failures WHERE key = ?").bind(1, key).run();
}

void SqliteServerStorage::audit(const OfficeAuditEntry& e) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement(m_db,
                    "INSERT INTO office_audit(at, user, action, target, detail) VALUES(?,?,?,?,?)")
      .bind(1, e.at.empty() ? protocol::nowIso8601Utc() : e.at)
      .bind(2, e.user)
      .bind(3, e.action)
      .bind(4, e.target)
      .bind(5, e.detail)
      .run();
}

std::vector<OfficeAuditEntry> SqliteServerStorage::auditEntries(const std::string& target,
                                                                int limit) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db,
                       "SELECT at, user, action, target, detail FROM office_audit "
                       "WHERE ?1 = '' OR target = ?1 ORDER BY seq DESC LIMIT ?2");
  st.bind(1, target).bind(2, limit);
  std::vector<OfficeAuditEntry> out;
  while (st.step()) {
    out.push_back(
        {st.columnText(0), st.columnText(1), st.columnText(2), st.columnText(3), st.columnText(4)});
  }
  return out;
}

ConsultationPage SqliteServerStorage::consultations(const ConsultationQuery& q) {
  std::lock_guard lock(m_mutex);
  ConsultationPage page;
  {
    sqlite::Statement count(m_db, std::string("SELECT COUNT(*) ") + kConsultationFilter);
    bindFilter(count, q);
    count.step();
    page.total = count.columnInt(0);
  }
  sqlite::Statement st(m_db, std::string(kRowColumns) + kConsultationFilter +
                                 (q.oldestFirst ? "ORDER BY c.created_at ASC, c.id ASC "
                                                : "ORDER BY c.created_at DESC, c.id DESC ") +
                                 "LIMIT ?13 OFFSET ?14");
  bindFilter(st, q);
  st.bind(13, q.perPage).bind(14, static_cast<std::int64_t>(q.page - 1) * q.perPage);
  while (st.step()) page.rows.push_back(readRow(st));
  return page;
}

std::optional<ConsultationDetail> SqliteServerStorage::consultation(const ClinicScope& scope,
                                                                    const std::string& id) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db, std::string(kRowColumns) +
                                 ", c.record_json FROM consultations c WHERE (?1 = 1 OR "
                                 "c.clinic IN (SELECT value FROM json_each(?2))) AND c.id = ?3");
  bindScope(st, scope);
  st.bind(3, id);
  if (!st.step()) return std::nullopt;
  ConsultationDetail d;
  d.row = readRow(st);
  try {
    d.record = protocol::parseUntrustedJson(st.columnText(13), protocol::kMaxRecordBytes);
  } catch (const protocol::ProtocolError&) {
    d.record = nlohmann::json::object();  // stored by this server, so never expected
  }
  sqlite::Statement revs(m_db,
                         "SELECT revision, sha256, received_at, record_json FROM "
                         "consultation_revisions WHERE id = ? ORDER BY revision");
  revs.bind(1, id);
  while (revs.step()) {
    d.revisions.push_back({static_cast<int>(revs.columnInt(0)), revs.columnText(1),
                           revs.columnText(2), storage::storedJsonOrNull(revs.columnText(3))});
  }
  sqlite::Statement notes(m_db,
                          "SELECT seq, consultation_id, status, note, author, at FROM "
                          "follow_up_events WHERE consultation_id = ? ORDER BY seq");
  notes.bind(1, id);
  while (notes.step()) {
    d.followUps.push_back({notes.columnInt(0), notes.columnText(1), notes.columnText(2),
                           notes.columnText(3), notes.columnText(4), notes.columnText(5)});
  }
  return d;
}

std::vector<std::string> SqliteServerStorage::clinics(const ClinicScope& scope) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db,
                       "SELECT DISTINCT clinic FROM kiosks WHERE ?1 = 1 OR clinic IN "
                       "(SELECT value FROM json_each(?2)) ORDER BY clinic");
  bindScope(st, scope);
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.columnText(0));
  return out;
}

std::vector<StoredConsultation> SqliteServerStorage::exportBatch(const ConsultationQuery& q,
                                                                 const std::string& afterCreatedAt,
                                                                 const std::string& afterId,
                                                                 int limit) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(
      m_db, std::string("SELECT c.id, c.kiosk_id, c.clinic, c.kiosk_seq, c.revision, c.sha256, "
                        "c.received_at, c.record_json, c.follow_up ") +
                kConsultationFilter +
                "AND (?13 = '' OR c.created_at < ?13 OR (c.created_at = ?13 AND c.id < ?14)) "
                "ORDER BY c.created_at DESC, c.id DESC LIMIT ?15");
  bindFilter(st, q);
  st.bind(13, afterCreatedAt).bind(14, afterId).bind(15, limit);
  std::vector<StoredConsultation> out;
  while (st.step()) {
    StoredConsultation c = consultationColumns(st);
    try {
      c.record = protocol::parseUntrustedJson(st.columnText(7), protocol::kMaxRecordBytes);
    } catch (const protocol::ProtocolError&) {
      c.record = nlohmann::json::object();
    }
    out.push_back(std::move(c));
  }
  return out;
}

OverviewFigures SqliteServerStorage::overview(const ClinicScope& scope, const std::string& fromDate,
                                              const std::string& toDate) {
  std::lock_guard lock(m_mutex);
  ConsultationQuery q;
  q.scope = scope;
  q.fromDate = fromDate;
  q.toDate = toDate;
  OverviewFigures f;
  // Weeks start on Monday: date(created_at, 'weekday 0', '-6 days') is the Monday on or before.
  {
    sqlite::Statement st(m_db, std::string("SELECT date(substr(c.created_at, 1, 10), 'weekday 0', "
                                           "'-6 days') AS week, c.clinic, COUNT(*) ") +
                                   kConsultationFilter +
                                   "GROUP BY week, c.clinic ORDER BY week, c.clinic");
    bindFilter(st, q);
    while (st.step()) f.perWeek.push_back({st.columnText(0), st.columnText(1), st.columnInt(2)});
  }
  const auto shares = [&](const char* column, std::vector<OverviewFigures::Share>& out) {
    sqlite::Statement st(m_db, std::string("SELECT COALESCE(c.") + column + ", ''), COUNT(*) " +
                                   kConsultationFilter + "GROUP BY 1 ORDER BY 1");
    bindFilter(st, q);
    while (st.step()) out.push_back({st.columnText(0), st.columnInt(1)});
  };
  shares("loss_stage", f.stages);
  shares("concern", f.concerns);
  shares("follow_up", f.followUps);
  {
    sqlite::Statement st(m_db, std::string("SELECT COUNT(*), "
                                           "COALESCE(SUM(c.health_flag_count > 0), 0) ") +
                                   kConsultationFilter);
    bindFilter(st, q);
    st.step();
    f.total = st.columnInt(0);
    f.flagged = st.columnInt(1);
  }
  return f;
}

std::optional<protocol::FollowUp> SqliteServerStorage::addFollowUp(const ClinicScope& scope,
                                                                   const std::string& id,
                                                                   const std::string& status,
                                                                   const std::string& note,
                                                                   const std::string& author) {
  std::lock_guard lock(m_mutex);
  sqlite::Transaction tx(m_db);
  protocol::FollowUp f{0, id, status, note, author, protocol::nowIso8601Utc()};
  std::string kioskId;
  {
    sqlite::Statement owner(m_db,
                            "SELECT kiosk_id FROM consultations c WHERE (?1 = 1 OR c.clinic IN "
                            "(SELECT value FROM json_each(?2))) AND c.id = ?3");
    bindScope(owner, scope);
    owner.bind(3, id);
    if (!owner.step()) return std::nullopt;
    kioskId = owner.columnText(0);
  }
  sqlite::Statement(m_db,
                    "INSERT INTO follow_up_events(consultation_id, kiosk_id, status, note, author, "
                    "at) VALUES(?,?,?,?,?,?)")
      .bind(1, id)
      .bind(2, kioskId)
      .bind(3, status)
      .bind(4, note)
      .bind(5, author)
      .bind(6, f.at)
      .run();
  f.seq = m_db.lastInsertRowId();
  sqlite::Statement(m_db, "UPDATE consultations SET follow_up = ? WHERE id = ?")
      .bind(1, status)
      .bind(2, id)
      .run();
  tx.commit();
  return f;
}

PhotoExportSize SqliteServerStorage::photoExportSize(const ConsultationQuery& q) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db, std::string("SELECT COUNT(*), COALESCE(SUM(b.size), 0) FROM "
                                         "consultation_blobs cb JOIN blobs b ON b.sha256 = "
                                         "cb.sha256 WHERE cb.id IN (SELECT c.id ") +
                                 kConsultationFilter + ")");
  bindFilter(st, q);
  st.step();
  return {st.columnInt(0), st.columnInt(1)};
}

namespace {
constexpr const char* kExportColumns =
    "SELECT id, user_name, filter, state, files, total_bytes, done_bytes, zip_bytes, error, "
    "created_at, updated_unix FROM office_photo_exports ";

PhotoExportJob readExport(sqlite::Statement& st) {
  return {st.columnText(0), st.columnText(1), st.columnText(2), st.columnText(3),
          st.columnInt(4),  st.columnInt(5),  st.columnInt(6),  st.columnInt(7),
          st.columnText(8), st.columnText(9), st.columnInt(10)};
}
}  // namespace

void SqliteServerStorage::savePhotoExport(const PhotoExportJob& j) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement(m_db,
                    "INSERT OR REPLACE INTO office_photo_exports(id, user_name, filter, state, "
                    "files, total_bytes, done_bytes, zip_bytes, error, created_at, updated_unix) "
                    "VALUES(?,?,?,?,?,?,?,?,?,?,?)")
      .bind(1, j.id)
      .bind(2, j.user)
      .bind(3, j.filter)
      .bind(4, j.state)
      .bind(5, j.files)
      .bind(6, j.totalBytes)
      .bind(7, j.doneBytes)
      .bind(8, j.zipBytes)
      .bind(9, j.error)
      .bind(10, j.createdAt)
      .bind(11, j.updatedUnix)
      .run();
}

std::optional<PhotoExportJob> SqliteServerStorage::photoExport(const std::string& id) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db, std::string(kExportColumns) + "WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return readExport(st);
}

std::vector<PhotoExportJob> SqliteServerStorage::photoExports(const std::string& user, int limit) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db, std::string(kExportColumns) +
                                 "WHERE user_name = ? ORDER BY created_at DESC, id DESC LIMIT ?");
  st.bind(1, user).bind(2, limit);
  std::vector<PhotoExportJob> out;
  while (st.step()) out.push_back(readExport(st));
  return out;
}

std::vector<PhotoExportJob> SqliteServerStorage::takePhotoExportsBefore(std::int64_t cutoffUnix) {
  std::lock_guard lock(m_mutex);
  sqlite::Transaction tx(m_db);
  std::vector<PhotoExportJob> out;
  {
    sqlite::Statement st(m_db, std::string(kExportColumns) + "WHERE updated_unix < ?");
    st.bind(1, cutoffUnix);
    while (st.step()) out.push_back(readExport(st));
  }
  sqlite::Statement(m_db, "DELETE FROM office_photo_exports WHERE updated_unix < ?")
      .bind(1, cutoffUnix)
      .run();
  tx.commit();
  return out;
}

}  // namespace smp::server
