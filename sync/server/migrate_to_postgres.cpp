#include "sync/server/migrate_to_postgres.h"

#include <pqxx/pqxx>

#include "sqlite/sqlite_db.h"
#include "sync/protocol/sha256.h"
#include "sync/server/blob_store.h"
#include "sync/server/listing_fields.h"
#include "sync/server/postgres_server_storage.h"
#include "sync/server/sqlite_server_storage.h"

namespace smp::server {
namespace {

// A table copied column for column (the names differ only where PostgreSQL reserves a word).
struct TableCopy {
  const char* table;
  const char* sourceColumns;
  const char* targetColumns;
  int columnCount;
};

// In foreign-key order. blobs, kiosk_blobs and consultations are copied by their own code.
constexpr TableCopy kTables[] = {
    {"kiosks", "kiosk_id, clinic, token_sha256, created_at, revoked, last_seen_at, last_heartbeat",
     nullptr, 7},
    {"consultation_revisions", "id, revision, kiosk_id, sha256, received_at, record_json", nullptr,
     6},
    {"consultation_blobs", "id, sha256", nullptr, 2},
    {"tombstones", "id, kiosk_id, erased_at", nullptr, 3},
    {"config", "id, json, etag", nullptr, 3},
    {"kiosk_store_keys", "kiosk_id, public_key, secret_key, escrowed_at", nullptr, 4},
    {"office_users", "id, name, role, clinics_json, password_hash, disabled, created_at", nullptr,
     7},
    {"office_sessions", "id_sha256, user_id, csrf_token, created_unix, last_seen_unix", nullptr, 5},
    {"office_audit", "seq, at, user, action, target, detail",
     "seq, at, user_name, action, target, detail", 6},
    {"kiosk_erasure_orders", "seq, kiosk_id, consultation_id, erased_at", nullptr, 4},
    {"enrolment_codes", "code_sha256, kiosk_id, created_at, expires_at, used_at", nullptr, 5},
    {"follow_up_events", "seq, consultation_id, kiosk_id, status, note, author, at", nullptr, 7},
    {"consent_texts", "sha256, language, version, text, first_published_at", nullptr, 5},
};

std::string placeholders(int count) {
  std::string out;
  for (int i = 1; i <= count; ++i) out += (i > 1 ? ",$" : "$") + std::to_string(i);
  return out;
}

// Copies every row of a SELECT into an INSERT … ON CONFLICT DO NOTHING, NULLs kept (SQLite's
// 0/1 flags become PostgreSQL booleans by their text).
void copyRows(sqlite::Database& from, pqxx::work& to, const std::string& select,
              const std::string& insert, int columns) {
  sqlite::Statement rows(from, select);
  std::vector<std::string> values(static_cast<std::size_t>(columns));
  std::vector<const char*> params(static_cast<std::size_t>(columns));
  while (rows.step()) {
    for (int i = 0; i < columns; ++i) {
      const auto at = static_cast<std::size_t>(i);
      if (rows.columnIsNull(i)) {
        params[at] = nullptr;  // libpqxx sends a null char pointer as NULL
      } else {
        values[at] = rows.columnText(i);
        params[at] = values[at].c_str();
      }
    }
    to.exec_params(insert, pqxx::prepare::make_dynamic_params(params));
  }
}

std::int64_t sqliteCount(sqlite::Database& db, const std::string& table) {
  sqlite::Statement st(db, "SELECT COUNT(*) FROM " + table);
  st.step();
  return st.columnInt(0);
}

}  // namespace

bool MigrationReport::complete() const {
  if (!badBlobs.empty()) return false;
  for (const auto& t : tables)
    if (t.target < t.source) return false;
  return true;
}

MigrationReport migrateSqliteToPostgres(const std::filesystem::path& sqliteFile,
                                        const std::string& postgresUri,
                                        const std::filesystem::path& blobFolder) {
  if (!std::filesystem::is_regular_file(sqliteFile))
    throw std::runtime_error("no SQLite head office at " + sqliteFile.string());
  std::filesystem::path sourceFolder;
  {
    SqliteServerStorage source(sqliteFile);  // brings it to the latest schema
    sourceFolder = source.blobFolder();
  }
  std::filesystem::path targetFolder;
  {
    PostgresServerStorage target(postgresUri, blobFolder);  // creates or migrates the schema
    targetFolder = target.blobFolder();
  }
  sqlite::Database from(sqliteFile, sqlite::OpenMode::kReadOnly);
  FileBlobStore sourceBlobs(sourceFolder);
  FileBlobStore targetBlobs(targetFolder);
  const bool sameFolder = std::filesystem::equivalent(sourceFolder, targetFolder);

  MigrationReport report;
  pqxx::connection connection(postgresUri);
  pqxx::work to(connection);

  // Blobs first, files before rows (as an upload does): a row is copied only for bytes that
  // are in the target folder and match their name.
  {
    sqlite::Statement rows(from, "SELECT sha256, size, received_at FROM blobs ORDER BY sha256");
    while (rows.step()) {
      const std::string sha = rows.columnText(0);
      const auto bytes = sourceBlobs.read(sha);
      if (!bytes || protocol::sha256Hex(*bytes) != sha) {
        report.badBlobs.push_back(sha);
        continue;
      }
      if (!sameFolder && !targetBlobs.contains(sha)) {
        targetBlobs.put(sha, *bytes);
        ++report.blobsCopied;
      } else {
        ++report.blobsPresent;
      }
      report.blobBytes += bytes->size();
      to.exec_params(
          "INSERT INTO blobs(sha256, size, received_at) VALUES($1,$2,$3) ON CONFLICT DO NOTHING",
          sha, rows.columnInt(1), rows.columnText(2));
    }
  }
  for (const TableCopy& t : kTables) {
    const std::string targetColumns = t.targetColumns ? t.targetColumns : t.sourceColumns;
    copyRows(from, to, std::string("SELECT ") + t.sourceColumns + " FROM " + t.table,
             std::string("INSERT INTO ") + t.table + "(" + targetColumns + ") VALUES(" +
                 placeholders(t.columnCount) + ") ON CONFLICT DO NOTHING",
             t.columnCount);
    if (t.table == std::string("kiosks")) {
      // Consultations name their kiosk; the listing fields are copied out of each record as
      // the PostgreSQL backend does when a revision arrives.
      sqlite::Statement rows(from,
                             "SELECT c.id, c.kiosk_id, c.kiosk_seq, c.revision, c.sha256, "
                             "c.record_json, c.received_at, k.clinic, c.follow_up FROM "
                             "consultations c "
                             "JOIN kiosks k ON k.kiosk_id = c.kiosk_id");
      while (rows.step()) {
        const std::string record = rows.columnText(5);
        const ListingFields f = listingFieldsOf(record);
        to.exec_params(
            "INSERT INTO consultations(id, kiosk_id, kiosk_seq, revision, sha256, record_json, "
            "received_at, clinic, created_at, created_week, client_name, concern, phone, email, "
            "loss_stage, health_flag_count, follow_up, consent_key) "
            "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) "
            "ON CONFLICT DO NOTHING",
            rows.columnText(0), rows.columnText(1), rows.columnInt(2), rows.columnInt(3),
            rows.columnText(4), record, rows.columnText(6), rows.columnText(7), f.createdAt,
            f.createdWeek, f.clientName, f.concern, f.phone, f.email, f.lossStage,
            f.healthFlagCount, rows.columnText(8), f.consentSha256.substr(0, 16));
      }
    }
  }
  // A kiosk's claim on bytes only where the bytes came too.
  copyRows(from, to, "SELECT kiosk_id, sha256 FROM kiosk_blobs",
           "INSERT INTO kiosk_blobs(kiosk_id, sha256) SELECT $1::text, $2::text WHERE EXISTS "
           "(SELECT 1 FROM blobs WHERE sha256 = $2::text) ON CONFLICT DO NOTHING",
           2);
  // The copied sequence numbers were explicit: the next new row continues after them.
  for (const char* table : {"office_audit", "kiosk_erasure_orders", "follow_up_events"}) {
    to.exec(std::string("SELECT setval(pg_get_serial_sequence('") + table +
            "', 'seq'), GREATEST((SELECT MAX(seq) FROM " + table + "), 1))");
  }
  to.commit();

  pqxx::nontransaction check(connection);
  std::vector<std::string> counted = {"blobs", "kiosk_blobs", "consultations"};
  for (const TableCopy& t : kTables) counted.push_back(t.table);
  for (const auto& table : counted) {
    report.tables.push_back({table, sqliteCount(from, table),
                             check.exec("SELECT COUNT(*) FROM " + table)[0][0].as<std::int64_t>()});
  }
  return report;
}

}  // namespace smp::server
