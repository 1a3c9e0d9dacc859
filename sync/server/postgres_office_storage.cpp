// PostgresServerStorage's half for the head-office web application (office_storage.h): the
// same queries as sqlite_office_storage.cpp in PostgreSQL's dialect.

#include <stdexcept>

#include "sync/protocol/consultation.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/untrusted_json.h"
#include "sync/server/postgres_rows.h"
#include "sync/server/postgres_server_storage.h"
#include "sync/server/storage_common.h"

namespace smp::server {
namespace {

using storage::clinicsFrom;
using storage::likeLiteral;

using postgres::consultationColumns;
using postgres::lockKey;
using postgres::text;

constexpr const char* kUserColumns =
    "SELECT id, name, role, clinics_json, password_hash, disabled, created_at FROM office_users ";

OfficeUser readUser(const pqxx::row& row) {
  OfficeUser u;
  u.id = text(row[0]);
  u.name = text(row[1]);
  u.role = parseRole(text(row[2])).value_or(OfficeRole::kClinicManager);
  u.clinics = clinicsFrom(text(row[3]));
  u.passwordHash = text(row[4]);
  u.disabled = row[5].as<bool>();
  u.createdAt = text(row[6]);
  return u;
}

// One WHERE clause for the page, its count, the export and the Overview; parameters $1-$12 in
// the order filterParams gives them. ILIKE: SQLite's LIKE ignores ASCII case, and so does this.
constexpr const char* kConsultationFilter =
    "FROM consultations c "
    "WHERE ($1::boolean OR c.clinic IN (SELECT jsonb_array_elements_text($2::jsonb))) "
    "AND ($3::text = '' OR c.clinic = $3::text) AND ($4::text = '' OR c.kiosk_id = $4::text) "
    "AND ($5::text = '' OR c.concern = $5::text) AND ($6::text = '' OR c.loss_stage = $6::text) "
    "AND ($7::text = '' OR c.created_at >= $7::text) "
    "AND ($8::text = '' OR c.created_at < $8::text || '~') "
    "AND (NOT $9::boolean OR c.health_flag_count > 0) "
    "AND ($11::text = '' OR c.follow_up = $11::text) "
    "AND ($12::text = '' OR c.consent_key IN "
    "     (SELECT substr(sha256, 1, 16) FROM consent_texts WHERE version = $12::text)) "
    "AND ($10::text = '' OR c.client_name ILIKE '%' || $10::text || '%' "
    "     OR c.phone ILIKE '%' || $10::text || '%' OR c.email ILIKE '%' || $10::text || '%') ";

// Runs `sql` (which uses kConsultationFilter) with the filter's twelve parameters, then `more`.
template <class... More>
pqxx::result execFiltered(pqxx::work& w, const std::string& sql, const ConsultationQuery& q,
                          const More&... more) {
  return w.exec_params(sql, q.scope.allClinics, nlohmann::json(q.scope.clinics).dump(), q.clinic,
                       q.kioskId, q.concern, q.lossStage, q.fromDate, q.toDate, q.flaggedOnly,
                       likeLiteral(q.text), q.followUp, q.consentVersion, more...);
}

constexpr const char* kRowColumns =
    "SELECT c.id, c.clinic, c.kiosk_id, COALESCE(c.created_at, ''), c.received_at, "
    "COALESCE(c.client_name, ''), COALESCE(c.phone, ''), COALESCE(c.email, ''), "
    "COALESCE(c.concern, ''), COALESCE(c.loss_stage, ''), c.revision, c.health_flag_count, "
    "c.follow_up ";

ConsultationRow readRow(const pqxx::row& row) {
  ConsultationRow r;
  r.id = text(row[0]);
  r.clinic = text(row[1]);
  r.kioskId = text(row[2]);
  r.createdAt = text(row[3]);
  r.receivedAt = text(row[4]);
  r.clientName = text(row[5]);
  r.phone = text(row[6]);
  r.email = text(row[7]);
  r.concern = text(row[8]);
  r.lossStage = text(row[9]);
  r.revision = row[10].as<int>();
  r.healthFlags = row[11].as<int>();
  r.followUp = text(row[12]);
  return r;
}

}  // namespace

OfficeUser PostgresServerStorage::addUser(const OfficeUser& user) {
  OfficeUser u = user;
  u.id = "user-" + protocol::randomHex(8);
  u.createdAt = protocol::nowIso8601Utc();
  bool taken = false;
  transact([&](pqxx::work& w) {
    // The unique name decides, also between two servers adding the same name at once.
    taken = w.exec_params(
                 "INSERT INTO office_users(id, name, role, clinics_json, password_hash, "
                 "disabled, created_at) VALUES($1,$2,$3,$4,$5,false,$6) ON CONFLICT(name) "
                 "DO NOTHING",
                 u.id, u.name, roleName(u.role), nlohmann::json(u.clinics).dump(), u.passwordHash,
                 u.createdAt)
                .affected_rows() == 0;
  });
  if (taken) throw std::invalid_argument("there is already an account named '" + user.name + "'");
  return u;
}

std::vector<OfficeUser> PostgresServerStorage::users() {
  std::vector<OfficeUser> out;
  transact([&](pqxx::work& w) {
    out.clear();
    for (const auto& row : w.exec(std::string(kUserColumns) + "ORDER BY name"))
      out.push_back(readUser(row));
  });
  return out;
}

std::optional<OfficeUser> PostgresServerStorage::userByName(const std::string& name) {
  std::optional<OfficeUser> found;
  transact([&](pqxx::work& w) {
    const auto r = w.exec_params(std::string(kUserColumns) + "WHERE name = $1", name);
    found.reset();
    if (!r.empty()) found = readUser(r[0]);
  });
  return found;
}

std::optional<OfficeUser> PostgresServerStorage::userById(const std::string& id) {
  std::optional<OfficeUser> found;
  transact([&](pqxx::work& w) {
    const auto r = w.exec_params(std::string(kUserColumns) + "WHERE id = $1", id);
    found.reset();
    if (!r.empty()) found = readUser(r[0]);
  });
  return found;
}

bool PostgresServerStorage::disableUser(const std::string& name) {
  bool found = false;
  transact([&](pqxx::work& w) {
    found = w.exec_params("UPDATE office_users SET disabled = true WHERE name = $1", name)
                .affected_rows() > 0;
    if (!found) return;
    w.exec_params(
        "DELETE FROM office_sessions WHERE user_id IN (SELECT id FROM office_users WHERE name = "
        "$1)",
        name);
  });
  return found;
}

bool PostgresServerStorage::setPasswordHash(const std::string& userId,
                                            const std::string& passwordHash,
                                            const std::string& keepSessionSha256) {
  bool found = false;
  transact([&](pqxx::work& w) {
    found = w.exec_params("UPDATE office_users SET password_hash = $1 WHERE id = $2", passwordHash,
                          userId)
                .affected_rows() > 0;
    if (!found) return;
    w.exec_params("DELETE FROM office_sessions WHERE user_id = $1 AND id_sha256 <> $2", userId,
                  keepSessionSha256);
  });
  return found;
}

void PostgresServerStorage::createSession(const OfficeSession& s) {
  transact([&](pqxx::work& w) {
    w.exec_params(
        "INSERT INTO office_sessions(id_sha256, user_id, csrf_token, created_unix, "
        "last_seen_unix) VALUES($1,$2,$3,$4,$5)",
        s.idSha256, s.userId, s.csrfToken, s.createdUnix, s.lastSeenUnix);
  });
}

std::optional<OfficeSession> PostgresServerStorage::session(const std::string& idSha256) {
  std::optional<OfficeSession> found;
  transact([&](pqxx::work& w) {
    const auto r = w.exec_params(
        "SELECT id_sha256, user_id, csrf_token, created_unix, last_seen_unix "
        "FROM office_sessions WHERE id_sha256 = $1",
        idSha256);
    found.reset();
    if (!r.empty()) {
      found = OfficeSession{text(r[0][0]), text(r[0][1]), text(r[0][2]), r[0][3].as<std::int64_t>(),
                            r[0][4].as<std::int64_t>()};
    }
  });
  return found;
}

void PostgresServerStorage::touchSession(const std::string& idSha256, std::int64_t nowUnix) {
  transact([&](pqxx::work& w) {
    w.exec_params("UPDATE office_sessions SET last_seen_unix = $1 WHERE id_sha256 = $2", nowUnix,
                  idSha256);
  });
}

void PostgresServerStorage::deleteSession(const std::string& idSha256) {
  transact([&](pqxx::work& w) {
    w.exec_params("DELETE FROM office_sessions WHERE id_sha256 = $1", idSha256);
  });
}

void PostgresServerStorage::recordSignInFailure(const std::string& key, std::int64_t atUnix) {
  transact([&](pqxx::work& w) {
    // Failures older than a day never count again: the table stays small.
    w.exec_params("DELETE FROM office_signin_failures WHERE at_unix < $1", atUnix - 24 * 3600);
    w.exec_params("INSERT INTO office_signin_failures(key, at_unix) VALUES($1,$2)", key, atUnix);
  });
}

int PostgresServerStorage::signInFailuresSince(const std::string& key, std::int64_t sinceUnix) {
  int count = 0;
  transact([&](pqxx::work& w) {
    count = w.exec_params(
                 "SELECT COUNT(*) FROM office_signin_failures WHERE key = $1 AND at_unix >= $2",
                 key, sinceUnix)[0][0]
                .as<int>();
  });
  return count;
}

void PostgresServerStorage::clearSignInFailures(const std::string& key) {
  transact([&](pqxx::work& w) {
    w.exec_params("DELETE FROM office_signin_failures WHERE key = $1", key);
  });
}

void PostgresServerStorage::audit(const OfficeAuditEntry& e) {
  transact([&](pqxx::work& w) {
    w.exec_params(
        "INSERT INTO office_audit(at, user_name, action, target, detail) VALUES($1,$2,$3,$4,$5)",
        e.at.empty() ? protocol::nowIso8601Utc() : e.at, e.user, e.action, e.target, e.detail);
  });
}

std::vector<OfficeAuditEntry> PostgresServerStorage::auditEntries(const std::string& target,
                                                                  int limit) {
  std::vector<OfficeAuditEntry> out;
  transact([&](pqxx::work& w) {
    out.clear();
    for (const auto& row :
         w.exec_params("SELECT at, user_name, action, target, detail FROM office_audit "
                       "WHERE $1::text = '' OR target = $1::text ORDER BY seq DESC LIMIT $2",
                       target, limit)) {
      out.push_back({text(row[0]), text(row[1]), text(row[2]), text(row[3]), text(row[4])});
    }
  });
  return out;
}

ConsultationPage PostgresServerStorage::consultations(const ConsultationQuery& q) {
  ConsultationPage page;
  // NULLS LAST/FIRST: SQLite sorts a missing created_at below every date; so does this.
  const std::string order = q.oldestFirst ? "ORDER BY c.created_at ASC NULLS FIRST, c.id ASC "
                                          : "ORDER BY c.created_at DESC NULLS LAST, c.id DESC ";
  transact([&](pqxx::work& w) {
    page = {};
    page.total = execFiltered(w, std::string("SELECT COUNT(*) ") + kConsultationFilter, q)[0][0]
                     .as<std::int64_t>();
    for (const auto& row : execFiltered(
             w, std::string(kRowColumns) + kConsultationFilter + order + "LIMIT $13 OFFSET $14", q,
             q.perPage, static_cast<std::int64_t>(q.page - 1) * q.perPage))
      page.rows.push_back(readRow(row));
  });
  return page;
}

std::optional<ConsultationDetail> PostgresServerStorage::consultation(const ClinicScope& scope,
                                                                      const std::string& id) {
  std::optional<ConsultationDetail> found;
  transact([&](pqxx::work& w) {
    found.reset();
    const auto r =
        w.exec_params(std::string(kRowColumns) +
                          ", c.record_json FROM consultations c WHERE ($1::boolean OR c.clinic IN "
                          "(SELECT jsonb_array_elements_text($2::jsonb))) AND c.id = $3",
                      scope.allClinics, nlohmann::json(scope.clinics).dump(), id);
    if (r.empty()) return;
    ConsultationDetail d;
    d.row = readRow(r[0]);
    try {
      d.record = protocol::parseUntrustedJson(text(r[0][13]), protocol::kMaxRecordBytes);
    } catch (const protocol::ProtocolError&) {
      d.record = nlohmann::json::object();  // stored by this server, so never expected
    }
    for (const auto& row : w.exec_params("SELECT revision, sha256, received_at, record_json FROM "
                                         "consultation_revisions WHERE id = $1 ORDER BY revision",
                                         id)) {
      d.revisions.push_back(
          {row[0].as<int>(), text(row[1]), text(row[2]), storage::storedJsonOrNull(text(row[3]))});
    }
    for (const auto& row :
         w.exec_params("SELECT seq, consultation_id, status, note, author, at FROM "
                       "follow_up_events WHERE consultation_id = $1 ORDER BY seq",
                       id)) {
      d.followUps.push_back({row[0].as<std::int64_t>(), text(row[1]), text(row[2]), text(row[3]),
                             text(row[4]), text(row[5])});
    }
    found = std::move(d);
  });
  return found;
}

std::vector<std::string> PostgresServerStorage::clinics(const ClinicScope& scope) {
  std::vector<std::string> out;
  transact([&](pqxx::work& w) {
    out.clear();
    for (const auto& row :
         w.exec_params("SELECT DISTINCT clinic FROM kiosks WHERE $1::boolean OR clinic IN "
                       "(SELECT jsonb_array_elements_text($2::jsonb)) ORDER BY clinic",
                       scope.allClinics, nlohmann::json(scope.clinics).dump())) {
      out.push_back(text(row[0]));
    }
  });
  return out;
}

std::vector<StoredConsultation> PostgresServerStorage::exportBatch(
    const ConsultationQuery& q, const std::string& afterCreatedAt, const std::string& afterId,
    int limit) {
  std::vector<StoredConsultation> out;
  transact([&](pqxx::work& w) {
    out.clear();
    const std::string sql =
        std::string(
            "SELECT c.id, c.kiosk_id, c.clinic, c.kiosk_seq, c.revision, c.sha256, "
            "c.received_at, c.record_json, c.follow_up ") +
        kConsultationFilter +
        "AND ($13::text = '' OR c.created_at < $13::text OR "
        "(c.created_at = $13::text AND c.id < $14::text)) "
        "ORDER BY c.created_at DESC NULLS LAST, c.id DESC LIMIT $15";
    for (const auto& row : execFiltered(w, sql, q, afterCreatedAt, afterId, limit)) {
      StoredConsultation c = consultationColumns(row);
      try {
        c.record = protocol::parseUntrustedJson(text(row[7]), protocol::kMaxRecordBytes);
      } catch (const protocol::ProtocolError&) {
        c.record = nlohmann::json::object();
      }
      out.push_back(std::move(c));
    }
  });
  return out;
}

OverviewFigures PostgresServerStorage::overview(const ClinicScope& scope,
                                                const std::string& fromDate,
                                                const std::string& toDate) {
  ConsultationQuery q;
  q.scope = scope;
  q.fromDate = fromDate;
  q.toDate = toDate;
  OverviewFigures f;
  transact([&](pqxx::work& w) {
    f = {};
    for (const auto& row : execFiltered(w,
                                        std::string("SELECT COALESCE(c.created_week, ''), "
                                                    "c.clinic, COUNT(*) ") +
                                            kConsultationFilter + "GROUP BY 1, 2 ORDER BY 1, 2",
                                        q))
      f.perWeek.push_back({text(row[0]), text(row[1]), row[2].as<std::int64_t>()});
    const auto shares = [&](const char* column, std::vector<OverviewFigures::Share>& out) {
      for (const auto& row :
           execFiltered(w,
                        std::string("SELECT COALESCE(c.") + column + ", ''), COUNT(*) " +
                            kConsultationFilter + "GROUP BY 1 ORDER BY 1",
                        q))
        out.push_back({text(row[0]), row[1].as<std::int64_t>()});
    };
    shares("loss_stage", f.stages);
    shares("concern", f.concerns);
    shares("follow_up", f.followUps);
    const auto totals = execFiltered(
        w,
        std::string("SELECT COUNT(*), COUNT(*) FILTER (WHERE c.health_flag_count > 0) ") +
            kConsultationFilter,
        q);
    f.total = totals[0][0].as<std::int64_t>();
    f.flagged = totals[0][1].as<std::int64_t>();
  });
  return f;
}

std::optional<protocol::FollowUp> PostgresServerStorage::addFollowUp(const ClinicScope& scope,
                                                                     const std::string& id,
                                                                     const std::string& status,
                                                                     const std::string& note,
                                                                     const std::string& author) {
  std::optional<protocol::FollowUp> added;
  transact([&](pqxx::work& w) {
    added.reset();
    // The consultation's lock orders this against an erasure of it; the kiosk's lock makes the
    // sequence numbers of one kiosk commit in order, so a kiosk that has read up to N never
    // misses a change that commits later with a smaller number.
    w.exec_params("SELECT pg_advisory_xact_lock($1)", lockKey('c', id));
    const auto owner = w.exec_params(
        "SELECT kiosk_id FROM consultations c WHERE ($1::boolean OR c.clinic IN "
        "(SELECT jsonb_array_elements_text($2::jsonb))) AND c.id = $3",
        scope.allClinics, nlohmann::json(scope.clinics).dump(), id);
    if (owner.empty()) return;
    const std::string kioskId = text(owner[0][0]);
    w.exec_params("SELECT pg_advisory_xact_lock($1)", lockKey('k', kioskId));
    protocol::FollowUp f{0, id, status, note, author, protocol::nowIso8601Utc()};
    f.seq = w.exec_params(
                 "INSERT INTO follow_up_events(consultation_id, kiosk_id, status, note, author, "
                 "at) VALUES($1,$2,$3,$4,$5,$6) RETURNING seq",
                 id, kioskId, status, note, author, f.at)[0][0]
                .as<std::int64_t>();
    w.exec_params("UPDATE consultations SET follow_up = $1 WHERE id = $2", status, id);
    added = std::move(f);
  });
  return added;
}

PhotoExportSize PostgresServerStorage::photoExportSize(const ConsultationQuery& q) {
  PhotoExportSize size;
  transact([&](pqxx::work& w) {
    const auto r = execFiltered(
        w,
        std::string("SELECT COUNT(*), COALESCE(SUM(b.size), 0) FROM consultation_blobs cb JOIN "
                    "blobs b ON b.sha256 = cb.sha256 WHERE cb.id IN (SELECT c.id ") +
            kConsultationFilter + ")",
        q);
    size = {r[0][0].as<std::int64_t>(), r[0][1].as<std::int64_t>()};
  });
  return size;
}

namespace {
constexpr const char* kExportColumns =
    "SELECT id, user_name, filter, state, files, total_bytes, done_bytes, zip_bytes, error, "
    "created_at, updated_unix FROM office_photo_exports ";

PhotoExportJob readExport(const pqxx::row& r) {
  return {text(r[0]),
          text(r[1]),
          text(r[2]),
          text(r[3]),
          r[4].as<std::int64_t>(),
          r[5].as<std::int64_t>(),
          r[6].as<std::int64_t>(),
          r[7].as<std::int64_t>(),
          text(r[8]),
          text(r[9]),
          r[10].as<std::int64_t>()};
}
}  // namespace

void PostgresServerStorage::savePhotoExport(const PhotoExportJob& j) {
  autocommit(
      "INSERT INTO office_photo_exports(id, user_name, filter, state, files, total_bytes, "
      "done_bytes, zip_bytes, error, created_at, updated_unix) "
      "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT(id) DO UPDATE SET "
      "state = excluded.state, done_bytes = excluded.done_bytes, zip_bytes = excluded.zip_bytes, "
      "error = excluded.error, updated_unix = excluded.updated_unix",
      j.id, j.user, j.filter, j.state, j.files, j.totalBytes, j.doneBytes, j.zipBytes, j.error,
      j.createdAt, j.updatedUnix);
}

std::optional<PhotoExportJob> PostgresServerStorage::photoExport(const std::string& id) {
  const auto r = autocommit(std::string(kExportColumns) + "WHERE id = $1", id);
  if (r.empty()) return std::nullopt;
  return readExport(r[0]);
}

std::vector<PhotoExportJob> PostgresServerStorage::photoExports(const std::string& user,
                                                                int limit) {
  std::vector<PhotoExportJob> out;
  for (const auto& row :
       autocommit(std::string(kExportColumns) +
                      "WHERE user_name = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
                  user, limit))
    out.push_back(readExport(row));
  return out;
}

std::vector<PhotoExportJob> PostgresServerStorage::takePhotoExportsBefore(std::int64_t cutoffUnix) {
  std::vector<PhotoExportJob> out;
  for (const auto& row :
       autocommit("DELETE FROM office_photo_exports WHERE updated_unix < $1 RETURNING id, "
                  "user_name, filter, state, files, total_bytes, done_bytes, zip_bytes, error, "
                  "created_at, updated_unix",
                  cutoffUnix))
    out.push_back(readExport(row));
  return out;
}

}  // namespace smp::server
