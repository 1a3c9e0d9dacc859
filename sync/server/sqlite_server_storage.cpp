// SQLite schema and queries of the head-office server.
#include "sync/server/sqlite_server_storage.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <stdexcept>

#include "sync/protocol/consultation.h"
#include "sync/protocol/enrolment_code.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/sha256.h"
#include "sync/protocol/untrusted_json.h"
#include "sync/server/storage_common.h"

namespace smp::server {
namespace {

// Migration N takes the schema from N-1 to N; never edit a shipped one.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE kiosks(
  kiosk_id TEXT PRIMARY KEY,
  clinic TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE blobs(
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  received_at TEXT NOT NULL
);
CREATE TABLE consultations(
  id TEXT PRIMARY KEY,
  kiosk_id TEXT NOT NULL REFERENCES kiosks(kiosk_id),
  kiosk_seq INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  record_json TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE(kiosk_id, kiosk_seq)
);
)sql",
    R"sql(
ALTER TABLE kiosks ADD COLUMN last_seen_at TEXT;
ALTER TABLE kiosks ADD COLUMN last_heartbeat TEXT;
CREATE TABLE upload_chunks(
  sha256 TEXT NOT NULL,
  offset INTEGER NOT NULL,
  total_size INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY(sha256, offset)
);
CREATE TABLE consultation_revisions(
  id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  kiosk_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY(id, revision)
);
INSERT INTO consultation_revisions(id, revision, kiosk_id, sha256, received_at)
  SELECT id, revision, kiosk_id, sha256, received_at FROM consultations;
CREATE TABLE consultation_blobs(
  id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY(id, sha256)
);
CREATE INDEX consultation_blobs_by_sha ON consultation_blobs(sha256);
CREATE TABLE tombstones(
  id TEXT PRIMARY KEY,
  kiosk_id TEXT NOT NULL,
  erased_at TEXT NOT NULL
);
CREATE TABLE config(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  json TEXT NOT NULL,
  etag TEXT NOT NULL
);
)sql",
    // Uploads and blob presence per kiosk: no kiosk sees or disturbs another's uploads. Partial
    // uploads in progress are dropped; their kiosks resume from offset 0.
    R"sql(
CREATE TABLE kiosk_blobs(
  kiosk_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY(kiosk_id, sha256)
);
INSERT OR IGNORE INTO kiosk_blobs(kiosk_id, sha256)
  SELECT DISTINCT r.kiosk_id, cb.sha256
  FROM consultation_blobs cb JOIN consultation_revisions r ON r.id = cb.id;
DROP TABLE upload_chunks;
CREATE TABLE upload_chunks(
  kiosk_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  offset INTEGER NOT NULL,
  total_size INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  received_unix INTEGER NOT NULL,
  PRIMARY KEY(kiosk_id, sha256, offset)
);
CREATE INDEX upload_chunks_by_age ON upload_chunks(received_unix);
)sql",
    // Each kiosk's store key pair, escrowed so the kiosk can unseal its records after a restart.
    R"sql(
CREATE TABLE kiosk_store_keys(
  kiosk_id TEXT PRIMARY KEY REFERENCES kiosks(kiosk_id),
  public_key TEXT NOT NULL,
  secret_key TEXT NOT NULL,
  escrowed_at TEXT NOT NULL
);
)sql",
    // The head-office web application: its accounts, sessions (in the database, so several
    // servers can share them), sign-in failures and audit; and the record fields its tables
    // filter and sort on, as indexed virtual columns over the stored JSON.
    R"sql(
CREATE TABLE office_users(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'clinic-manager')),
  clinics_json TEXT NOT NULL DEFAULT '[]',
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TABLE office_sessions(
  id_sha256 TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES office_users(id),
  csrf_token TEXT NOT NULL,
  created_unix INTEGER NOT NULL,
  last_seen_unix INTEGER NOT NULL
);
CREATE INDEX office_sessions_by_user ON office_sessions(user_id);
CREATE TABLE office_signin_failures(
  key TEXT NOT NULL,
  at_unix INTEGER NOT NULL
);
CREATE INDEX office_signin_failures_by_key ON office_signin_failures(key, at_unix);
CREATE TABLE office_audit(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX office_audit_by_target ON office_audit(target, seq);
-- The fields the tables filter and sort on, copied out of the JSON when a revision is stored
-- (by triggers, so no write path can forget them) and indexed: a page of 100,000 records must
-- not parse 100,000 JSON documents.
ALTER TABLE consultations ADD COLUMN clinic TEXT;
ALTER TABLE consultations ADD COLUMN created_at TEXT;
ALTER TABLE consultations ADD COLUMN client_name TEXT;
ALTER TABLE consultations ADD COLUMN concern TEXT;
ALTER TABLE consultations ADD COLUMN phone TEXT;
ALTER TABLE consultations ADD COLUMN email TEXT;
ALTER TABLE consultations ADD COLUMN loss_stage TEXT;
ALTER TABLE consultations ADD COLUMN health_flag_count INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER consultations_fields_on_insert AFTER INSERT ON consultations BEGIN
  UPDATE consultations SET
    clinic = (SELECT clinic FROM kiosks WHERE kiosk_id = NEW.kiosk_id),
    created_at = json_extract(NEW.record_json, '$.created_at'),
    client_name = json_extract(NEW.record_json, '$.client_name'),
    concern = json_extract(NEW.record_json, '$.concern'),
    phone = json_extract(NEW.record_json, '$.intake.phone'),
    email = json_extract(NEW.record_json, '$.intake.email'),
    loss_stage = json_extract(NEW.record_json, '$.intake.loss_stage'),
    health_flag_count =
      COALESCE(json_array_length(json_extract(NEW.record_json, '$.intake.health_flags')), 0)
  WHERE id = NEW.id;
END;
CREATE TRIGGER consultations_fields_on_update AFTER UPDATE OF record_json ON consultations BEGIN
  UPDATE consultations SET
    created_at = json_extract(NEW.record_json, '$.created_at'),
    client_name = json_extract(NEW.record_json, '$.client_name'),
    concern = json_extract(NEW.record_json, '$.concern'),
    phone = json_extract(NEW.record_json, '$.intake.phone'),
    email = json_extract(NEW.record_json, '$.intake.email'),
    loss_stage = json_extract(NEW.record_json, '$.intake.loss_stage'),
    health_flag_count =
      COALESCE(json_array_length(json_extract(NEW.record_json, '$.intake.health_flags')), 0)
  WHERE id = NEW.id;
END;
UPDATE consultations SET
  clinic = (SELECT clinic FROM kiosks WHERE kiosks.kiosk_id = consultations.kiosk_id),
  created_at = json_extract(record_json, '$.created_at'),
  client_name = json_extract(record_json, '$.client_name'),
  concern = json_extract(record_json, '$.concern'),
  phone = json_extract(record_json, '$.intake.phone'),
  email = json_extract(record_json, '$.intake.email'),
  loss_stage = json_extract(record_json, '$.intake.loss_stage'),
  health_flag_count =
    COALESCE(json_array_length(json_extract(record_json, '$.intake.health_flags')), 0);
-- Covering: a count, a filter or a search reads this index, never the rows with their JSON.
CREATE INDEX consultations_listing ON consultations(created_at, id, clinic, kiosk_id, concern,
  loss_stage, health_flag_count, client_name, phone, email);
CREATE INDEX consultations_by_clinic_created ON consultations(clinic, created_at, id);
)sql",
    // Erasures decided at head office, for the kiosk that holds the record to carry out.
    R"sql(
CREATE TABLE kiosk_erasure_orders(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kiosk_id TEXT NOT NULL,
  consultation_id TEXT NOT NULL,
  erased_at TEXT NOT NULL
);
CREATE INDEX kiosk_erasure_orders_by_kiosk ON kiosk_erasure_orders(kiosk_id, seq);
)sql",
    // One-time enrolment codes (the kiosk's setup screen): at most one live code per kiosk.
    R"sql(
CREATE TABLE enrolment_codes(
  code_sha256 TEXT PRIMARY KEY,
  kiosk_id TEXT NOT NULL REFERENCES kiosks(kiosk_id),
  created_at TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at TEXT
);
CREATE INDEX enrolment_codes_by_kiosk ON enrolment_codes(kiosk_id);
)sql",
    // Photos out of the database, into the blob folder (blob_store.h): the bytes were copied
    // there by moveBlobBytesToFolder() before this runs. Unfinished uploads become files too;
    // those in progress are dropped and their kiosks resume from offset 0.
    R"sql(
CREATE TABLE blobs_v8(
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  received_at TEXT NOT NULL
);
INSERT INTO blobs_v8(sha256, size, received_at) SELECT sha256, size, received_at FROM blobs;
DROP TABLE blobs;
ALTER TABLE blobs_v8 RENAME TO blobs;
DROP TABLE upload_chunks;
CREATE TABLE uploads(
  kiosk_id TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  total_size INTEGER NOT NULL,
  received INTEGER NOT NULL,
  received_unix INTEGER NOT NULL,
  PRIMARY KEY(kiosk_id, sha256)
);
CREATE INDEX uploads_by_age ON uploads(received_unix);
CREATE TABLE server_settings(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql",
    // Head office's follow-up: every change with its note, for the consultation page and for
    // the kiosk that took the consultation (by kiosk and sequence); the current status on the
    // consultation, in the covering index, so a filter or the funnel never reads the events.
    // A revision from the kiosk leaves follow_up alone: it is head office's, not the record's.
    // And every consent text published, under the hash a kiosk stores with what was signed.
    R"sql(
CREATE TABLE office_photo_exports(
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  filter TEXT NOT NULL,
  state TEXT NOT NULL,
  files INTEGER NOT NULL,
  total_bytes INTEGER NOT NULL,
  done_bytes INTEGER NOT NULL,
  zip_bytes INTEGER NOT NULL,
  error TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_unix INTEGER NOT NULL
);
CREATE INDEX office_photo_exports_by_user ON office_photo_exports(user_name, created_at);
CREATE TABLE consent_texts(
  sha256 TEXT PRIMARY KEY,
  language TEXT NOT NULL,
  version TEXT NOT NULL,
  text TEXT NOT NULL,
  first_published_at TEXT NOT NULL
);
-- Each revision's record from now on, so the consultation page can say what a revision changed.
ALTER TABLE consultation_revisions ADD COLUMN record_json TEXT;
CREATE TABLE follow_up_events(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  consultation_id TEXT NOT NULL,
  kiosk_id TEXT NOT NULL,
  status TEXT NOT NULL,
  note TEXT NOT NULL,
  author TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX follow_up_events_by_kiosk ON follow_up_events(kiosk_id, seq);
CREATE INDEX follow_up_events_by_consultation ON follow_up_events(consultation_id, seq);
ALTER TABLE consultations ADD COLUMN follow_up TEXT NOT NULL DEFAULT 'new';
-- The consent text signed, for the table's consent-version filter: the first 16 hex digits of
-- its hash (enough to tell versions apart) keep the covering index narrow.
ALTER TABLE consultations ADD COLUMN consent_key TEXT;
CREATE TRIGGER consultations_consent_on_insert AFTER INSERT ON consultations BEGIN
  UPDATE consultations
  SET consent_key = substr(json_extract(NEW.record_json, '$.consent_text_sha256'), 1, 16)
  WHERE id = NEW.id;
END;
CREATE TRIGGER consultations_consent_on_update AFTER UPDATE OF record_json ON consultations BEGIN
  UPDATE consultations
  SET consent_key = substr(json_extract(NEW.record_json, '$.consent_text_sha256'), 1, 16)
  WHERE id = NEW.id;
END;
UPDATE consultations
SET consent_key = substr(json_extract(record_json, '$.consent_text_sha256'), 1, 16);
DROP INDEX consultations_listing;
CREATE INDEX consultations_listing ON consultations(created_at, id, clinic, kiosk_id, concern,
  loss_stage, health_flag_count, follow_up, consent_key, client_name, phone, email);
)sql",
};

}  // namespace

std::span<const char* const> serverMigrations() { return kMigrations; }

using storage::etagOf;
using storage::nowUnixSeconds;
using storage::storedJson;
using storage::uploadName;

SqliteServerStorage::SqliteServerStorage(const std::filesystem::path& path,
                                         const std::filesystem::path& blobFolder)
    : m_db(path), m_path(std::filesystem::absolute(path)) {
  m_db.requireIntact();
  m_blobFolder = chooseBlobFolder(path, blobFolder);
  m_blobs = std::make_unique<FileBlobStore>(m_blobFolder);
  migrate();
  if (m_db.userVersion() >= 8) {
    sqlite::Statement(m_db,
                      "INSERT INTO server_settings(key, value) VALUES('blob_folder', ?) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, m_blobFolder.string())
        .run();
  }
  keepConsentTextsOf(config().first);  // a config published before texts were kept
}

std::string SqliteServerStorage::describe() const { return "SQLite " + m_path.string(); }

std::filesystem::path SqliteServerStorage::chooseBlobFolder(const std::filesystem::path& dbPath,
                                                            const std::filesystem::path& given) {
  if (!given.empty()) return std::filesystem::absolute(given);
  {
    sqlite::Statement table(
        m_db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'server_settings'");
    if (table.step()) {
      sqlite::Statement recorded(m_db,
                                 "SELECT value FROM server_settings WHERE key = 'blob_folder'");
      if (recorded.step()) return recorded.columnText(0);
    }
  }
  // One folder per database: two databases sharing a folder would erase each other's photos.
  const auto absolute = std::filesystem::absolute(dbPath);
  return absolute.parent_path() / (absolute.stem().string() + ".blobs");
}

void SqliteServerStorage::moveBlobBytesToFolder() {
  // Idempotent (put skips a blob already there), so a crash part-way is simply run again.
  sqlite::Statement rows(m_db, "SELECT sha256, bytes FROM blobs");
  while (rows.step()) {
    const std::string sha = rows.columnText(0);
    const auto bytes = rows.columnBlob(1);
    const std::string_view view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    // A row whose bytes no longer match (a damaged file) is not stored under a false name: the
    // startup check then reports that blob as missing.
    if (protocol::sha256Hex(bytes) == sha) m_blobs->put(sha, view);
  }
}

void SqliteServerStorage::migrate() {
  constexpr int kCount = static_cast<int>(std::size(kMigrations));
  static_assert(std::size(kMigrations) == kServerSchemaVersion);
  const int current = m_db.userVersion();
  // A damaged or crafted file can hold any signed number here (see the kiosk store's twin).
  if (current < 0) {
    throw std::runtime_error("the head-office database has an impossible schema version (" +
                             std::to_string(current) +
                             "); it was left untouched: restore it from a backup");
  }
  if (current > kCount) {
    throw std::runtime_error("the head-office database has schema version " +
                             std::to_string(current) + " but this server knows up to " +
                             std::to_string(kCount) + ": run the newer smp-server");
  }
  for (int v = current; v < kCount; ++v) {
    if (v + 1 == 8) moveBlobBytesToFolder();
    sqlite::Transaction tx(m_db);
    m_db.exec(kMigrations[v]);
    m_db.setUserVersion(v + 1);
    tx.commit();
  }
}

NewKiosk SqliteServerStorage::addKiosk(const std::string& clinic) {
  std::lock_guard lock(m_mutex);
  NewKiosk k{"kiosk-" + protocol::randomHex(6), "smpk_" + protocol::randomHex(32)};
  // A token carries 256 random bits, so a plain sha256 is a safe way to store it.
  sqlite::Statement(
      m_db, "INSERT INTO kiosks(kiosk_id, clinic, token_sha256, created_at) VALUES(?,?,?,?)")
      .bind(1, k.kioskId)
      .bind(2, clinic)
      .bind(3, protocol::sha256Hex(k.token))
      .bind(4, protocol::nowIso8601Utc())
      .run();
  return k;
}

bool SqliteServerStorage::revokeKiosk(const std::string& kioskId) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement(m_db, "UPDATE kiosks SET revoked = 1 WHERE kiosk_id = ?")
      .bind(1, kioskId)
      .run();
  return m_db.changes() == 1;
}

std::optional<std::string> SqliteServerStorage::rotateKioskToken(const std::string& kioskId) {
  std::lock_guard lock(m_mutex);
  const std::string token = "smpk_" + protocol::randomHex(32);
  sqlite::Statement(m_db, "UPDATE kiosks SET token_sha256 = ?, revoked = 0 WHERE kiosk_id = ?")
      .bind(1, protocol::sha256Hex(token))
      .bind(2, kioskId)
      .run();
  if (m_db.changes() != 1) return std::nullopt;
  return token;
}

std::optional<EnrolmentCode> SqliteServerStorage::issueEnrolmentCode(const std::string& kioskId,
                                                                     std::int64_t expiresAtUnix) {
  std::lock_guard lock(m_mutex);
  sqlite::Transaction tx(m_db);
  {
    sqlite::Statement known(m_db, "SELECT 1 FROM kiosks WHERE kiosk_id = ?");
    known.bind(1, kioskId);
    if (!known.step()) return std::nullopt;
  }
  // Only the newest code works: a code printed earlier and lost cannot be used later.
  sqlite::Statement(m_db, "DELETE FROM enrolment_codes WHERE kiosk_id = ? AND used_at IS NULL")
      .bind(1, kioskId)
      .run();
  EnrolmentCode issued{protocol::newEnrolmentCode(),
                       protocol::iso8601Utc(std::chrono::system_clock::time_point(
                           std::chrono::seconds(expiresAtUnix)))};
  sqlite::Statement(m_db,
                    "INSERT INTO enrolment_codes(code_sha256, kiosk_id, created_at, expires_at) "
                    "VALUES(?,?,?,?)")
      .bind(1, protocol::sha256Hex(*protocol::normaliseEnrolmentCode(issued.code)))
      .bind(2, kioskId)
      .bind(3, protocol::nowIso8601Utc())
      .bind(4, expiresAtUnix)
      .run();
  tx.commit();
  return issued;
}

std::variant<Enrolment, EnrolmentRefusal> SqliteServerStorage::redeemEnrolmentCode(
    const std::string& code, std::int64_t nowUnix) {
  std::lock_guard lock(m_mutex);
  sqlite::Transaction tx(m_db);
  sqlite::Statement found(m_db,
                          "SELECT c.kiosk_id, k.clinic, c.expires_at, c.used_at IS NOT NULL, "
                          "k.revoked FROM enrolment_codes c JOIN kiosks k USING(kiosk_id) "
                          "WHERE c.code_sha256 = ?");
  found.bind(1, protocol::sha256Hex(code));
  if (!found.step()) return EnrolmentRefusal::kUnknown;
  Enrolment e{found.columnText(0), found.columnText(1), "smpk_" + protocol::randomHex(32)};
  if (found.columnInt(3) != 0) return EnrolmentRefusal::kUsed;
  if (found.columnInt(2) <= nowUnix) return EnrolmentRefusal::kExpired;
  if (found.columnInt(4) != 0) return EnrolmentRefusal::kKioskRevoked;
  sqlite::Statement(m_db, "UPDATE enrolment_codes SET used_at = ? WHERE code_sha256 = ?")
      .bind(1, protocol::nowIso8601Utc())
      .bind(2, protocol::sha256Hex(code))
      .run();
  sqlite::Statement(m_db, "UPDATE kiosks SET token_sha256 = ? WHERE kiosk_id = ?")
      .bind(1, protocol::sha256Hex(e.token))
      .bind(2, e.kioskId)
      .run();
  tx.commit();
  return e;
}

std::vector<KioskSummary> SqliteServerStorage::kiosks() {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db,
                       "SELECT kiosk_id, clinic, revoked, last_seen_at, last_heartbeat FROM kiosks "
                       "ORDER BY created_at");
  std::vector<KioskSummary> out;
  while (st.step()) {
    KioskSummary k{st.columnText(0), st.columnText(1), st.columnInt(2) != 0, st.columnText(3),
                   nullptr};
    if (!st.columnIsNull(4)) k.lastHeartbeat = storedJson(st.columnText(4));
    out.push_back(std::move(k));
  }
  return out;
}

std::optional<KioskIdentity> SqliteServerStorage::kioskForToken(const std::string& token) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(
      m_db, "SELECT kiosk_id, clinic FROM kiosks WHERE token_sha256 = ? AND revoked = 0");
  st.bind(1, protocol::sha256Hex(token));
  if (!st.step()) return std::nullopt;
  return KioskIdentity{st.columnText(0), st.columnText(1)};
}

bool SqliteServerStorage::hasUploaded(const KioskIdentity& kiosk, const std::string& sha256) {
  sqlite::Statement present(m_db, "SELECT 1 FROM kiosk_blobs WHERE kiosk_id = ? AND sha256 = ?");
  present.bind(1, kiosk.kioskId).bind(2, sha256);
  return present.step();
}

UploadState SqliteServerStorage::uploadState(const KioskIdentity& kiosk,
                                             const std::string& sha256) {
  std::lock_guard lock(m_mutex);
  if (hasUploaded(kiosk, sha256)) return {true, 0};
  sqlite::Statement partial(m_db, "SELECT received FROM uploads WHERE kiosk_id = ? AND sha256 = ?");
  partial.bind(1, kiosk.kioskId).bind(2, sha256);
  return {false, partial.step() ? static_cast<std::uint64_t>(partial.columnInt(0)) : 0};
}

ChunkOutcome SqliteServerStorage::putChunk(const KioskIdentity& kiosk, const std::string& sha256,
                                           std::uint64_t totalSize, std::uint64_t offset,
                                           const std::string& bytes, const UploadQuota& quota) {
  const std::string part = uploadName(kiosk, sha256);
  // 1. Where the upload stands (the database says; files only hold bytes).
  {
    std::lock_guard lock(m_mutex);
    sqlite::Transaction tx(m_db);
    if (hasUploaded(kiosk, sha256)) return {ChunkResult::kAlreadyPresent, totalSize, {}};
    std::uint64_t received = 0;
    {
      sqlite::Statement partial(
          m_db, "SELECT received, total_size FROM uploads WHERE kiosk_id = ? AND sha256 = ?");
      partial.bind(1, kiosk.kioskId).bind(2, sha256);
      if (partial.step()) {
        received = static_cast<std::uint64_t>(partial.columnInt(0));
        // This kiosk declared a different size for the same hash: its earlier partial is junk.
        if (static_cast<std::uint64_t>(partial.columnInt(1)) != totalSize) {
          sqlite::Statement(m_db, "DELETE FROM uploads WHERE kiosk_id = ? AND sha256 = ?")
              .bind(1, kiosk.kioskId)
              .bind(2, sha256)
              .run();
          m_blobs->discardPart(part);
          received = 0;
        }
      }
    }
    if (offset != received) {
      tx.commit();
      return {ChunkResult::kWrongOffset, received, {}};
    }
    if (offset + bytes.size() > totalSize) {
      tx.commit();
      return {ChunkResult::kTooLarge, received, {}};
    }
    if (received == 0 && bytes.size() < totalSize) {
      sqlite::Statement open(m_db, "SELECT COUNT(*) FROM uploads WHERE kiosk_id = ?");
      open.bind(1, kiosk.kioskId);
      open.step();
      if (open.columnInt(0) >= quota.maxUnfinishedUploads) {
        tx.commit();
        return {ChunkResult::kQuotaExceeded, 0, {}};
      }
    }
    tx.commit();
  }

  // 2a. The whole blob in one request (photos are smaller than a chunk): hashed in memory and
  // written to its place without the lock, so uploads from many kiosks flush to disk together.
  if (offset == 0 && bytes.size() == totalSize) {
    const std::string actual = protocol::sha256Hex(bytes);
    if (actual != sha256) return {ChunkResult::kHashMismatch, 0, actual};
    m_blobs->put(sha256, bytes);
    recordBlob(kiosk, sha256, totalSize, &bytes);
    return {ChunkResult::kCompleted, totalSize, {}};
  }

  // 2b. A piece of a larger upload: bytes to the part file first, then the database counts them
  // (after a crash between the two the database's count wins and the piece is sent again).
  m_blobs->writePart(part, offset, bytes);
  const std::uint64_t received = offset + bytes.size();
  {
    std::lock_guard lock(m_mutex);
    sqlite::Statement(m_db,
                      "INSERT INTO uploads(kiosk_id, sha256, total_size, received, received_unix) "
                      "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(kiosk_id, sha256) DO UPDATE SET "
                      "received = excluded.received, received_unix = excluded.received_unix")
        .bind(1, kiosk.kioskId)
        .bind(2, sha256)
        .bind(3, static_cast<std::int64_t>(totalSize))
        .bind(4, static_cast<std::int64_t>(received))
        .bind(5, nowUnixSeconds())
        .run();
    if (received < totalSize) return {ChunkResult::kAccepted, received, {}};
  }
  // Last piece: verify the whole file and move it into place, then record it (the upload's
  // row goes in the same commit group).
  const std::string actual = m_blobs->completePart(part, totalSize, sha256);
  if (actual != sha256) {
    std::lock_guard lock(m_mutex);
    sqlite::Statement(m_db, "DELETE FROM uploads WHERE kiosk_id = ? AND sha256 = ?")
        .bind(1, kiosk.kioskId)
        .bind(2, sha256)
        .run();
    return {ChunkResult::kHashMismatch, 0, actual};  // start over at 0
  }
  if (!recordBlob(kiosk, sha256, totalSize, nullptr)) {
    return {ChunkResult::kWrongOffset, 0, {}};
  }
  return {ChunkResult::kCompleted, totalSize, {}};
}

bool SqliteServerStorage::recordBlob(const KioskIdentity& kiosk, const std::string& sha256,
                                     std::uint64_t size, const std::string* bytes) {
  bool recorded = false;
  changeInGroup(
      [&] {
        // An erasure (it holds m_mutex, as this change does) may have removed the same bytes after
        // our file landed and before this row named them, when no kiosk claimed them yet. Then the
        // file is written again from the request, or, for an upload in pieces, the kiosk starts
        // it over.
        if (!bytes) {  // an upload in pieces: its count of bytes received is finished with
          sqlite::Statement(m_db, "DELETE FROM uploads WHERE kiosk_id = ? AND sha256 = ?")
              .bind(1, kiosk.kioskId)
              .bind(2, sha256)
              .run();
        }
        if (!m_blobs->contains(sha256)) {
          if (!bytes) {
            // Kept: the count's row goes, and the kiosk starts over from offset 0.
            recorded = false;
            return true;
          }
          m_blobs->put(sha256, *bytes);
        }
        // Another kiosk may have sent the same bytes: they are stored once, owned by both.
        sqlite::Statement(m_db,
                          "INSERT OR IGNORE INTO blobs(sha256, size, received_at) VALUES(?,?,?)")
            .bind(1, sha256)
            .bind(2, static_cast<std::int64_t>(size))
            .bind(3, protocol::nowIso8601Utc())
            .run();
        sqlite::Statement(m_db, "INSERT OR IGNORE INTO kiosk_blobs(kiosk_id, sha256) VALUES(?,?)")
            .bind(1, kiosk.kioskId)
            .bind(2, sha256)
            .run();
        recorded = true;
        return true;
      },
      Flush::kWithNextDurableChange);
  return recorded;
}

struct SqliteServerStorage::GroupedChange {
  const std::function<bool()>* change;
  Flush flush;
  bool done = false;
  std::exception_ptr error;
};

void SqliteServerStorage::changeInGroup(const std::function<bool()>& change, Flush flush) {
  GroupedChange mine{&change, flush, false, nullptr};
  std::unique_lock queue(m_groupMutex);
  m_nextGroup.push_back(&mine);
  while (!mine.done) {
    if (m_committingGroup) {  // a leader is flushing; ours goes in the group after it
      m_groupDone.wait(queue);
      continue;
    }
    // Lead: take everything waiting (ours included) and commit it as one transaction.
    m_committingGroup = true;
    std::vector<GroupedChange*> group;
    group.swap(m_nextGroup);
    queue.unlock();
    std::exception_ptr commitError;
    const bool durable = std::any_of(group.begin(), group.end(), [](const GroupedChange* c) {
      return c->flush == Flush::kBeforeAnswer;
    });
    try {
      std::lock_guard lock(m_mutex);
      // Only this group's commit skips the flush: every other write on the connection is FULL.
      const auto setFlush = [&](bool full) {
        if (!durable) m_db.exec(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
      };
      setFlush(false);
      try {
        sqlite::Transaction tx(m_db);
        for (GroupedChange* c : group) {
          m_db.exec("SAVEPOINT grouped_change");
          bool keep = false;
          try {
            keep = (*c->change)();
          } catch (...) {
            c->error = std::current_exception();
          }
          m_db.exec(keep ? "RELEASE grouped_change"
                         : "ROLLBACK TO grouped_change; RELEASE grouped_change");
        }
        tx.commit();
      } catch (...) {
        setFlush(true);
        throw;
      }
      setFlush(true);
    } catch (...) {
      commitError = std::current_exception();
    }
    queue.lock();
    for (GroupedChange* c : group) {
      if (commitError && !c->error) c->error = commitError;
      c->done = true;
    }
    m_committingGroup = false;
    m_groupDone.notify_all();
  }
  if (mine.error) std::rethrow_exception(mine.error);
}

int SqliteServerStorage::expireUploads(std::int64_t cutoffUnixSeconds) {
  std::lock_guard lock(m_mutex);
  std::vector<std::string> parts, blobs;
  {
    sqlite::Transaction tx(m_db);
    // An upload not added to since the cutoff goes whole.
    {
      sqlite::Statement stale(m_db, "SELECT kiosk_id, sha256 FROM uploads WHERE received_unix < ?");
      stale.bind(1, cutoffUnixSeconds);
      while (stale.step()) {
        parts.push_back(uploadName({stale.columnText(0), ""}, stale.columnText(1)));
      }
      sqlite::Statement(m_db, "DELETE FROM uploads WHERE received_unix < ?")
          .bind(1, cutoffUnixSeconds)
          .run();
    }
    // A finished blob that no consultation names since the cutoff: its record never came.
    {
      const std::string cutoffIso = protocol::iso8601Utc(
          std::chrono::system_clock::from_time_t(static_cast<std::time_t>(cutoffUnixSeconds)));
      sqlite::Statement unnamed(m_db,
                                "SELECT sha256 FROM blobs WHERE received_at < ? AND sha256 NOT IN "
                                "(SELECT sha256 FROM consultation_blobs)");
      unnamed.bind(1, cutoffIso);
      while (unnamed.step()) blobs.push_back(unnamed.columnText(0));
      for (const auto& sha : blobs) {
        sqlite::Statement(m_db, "DELETE FROM kiosk_blobs WHERE sha256 = ?").bind(1, sha).run();
        sqlite::Statement(m_db, "DELETE FROM blobs WHERE sha256 = ?").bind(1, sha).run();
      }
    }
    tx.commit();
  }
  for (const auto& part : parts) m_blobs->discardPart(part);
  removeBlobFiles(blobs);
  return static_cast<int>(parts.size() + blobs.size());
}

void SqliteServerStorage::removeBlobFiles(const std::vector<std::string>& sha256s) {
  for (const auto& sha : sha256s) m_blobs->remove(sha);
}

bool SqliteServerStorage::hasBlob(const std::string& sha256) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement present(m_db, "SELECT 1 FROM blobs WHERE sha256 = ?");
  present.bind(1, sha256);
  return present.step();
}

std::optional<std::string> SqliteServerStorage::blob(const std::string& sha256) {
  {
    std::lock_guard lock(m_mutex);
    sqlite::Statement st(m_db, "SELECT 1 FROM blobs WHERE sha256 = ?");
    st.bind(1, sha256);
    if (!st.step()) return std::nullopt;
  }
  return m_blobs->read(sha256);
}

std::int64_t SqliteServerStorage::removeOrphanBlobs() {
  // The check's comparison, every orphan listed.
  const BlobCheck check = checkBlobs(std::numeric_limits<int>::max());
  std::lock_guard lock(m_mutex);
  removeBlobFiles(check.orphans);
  return check.orphanCount;
}

BlobCheck SqliteServerStorage::checkBlobs(int maxListed) {
  std::vector<std::string> named;
  {
    std::lock_guard lock(m_mutex);
    sqlite::Statement rows(m_db, "SELECT sha256 FROM blobs ORDER BY sha256");
    while (rows.step()) named.push_back(rows.columnText(0));
  }
  return storage::compareBlobs(*m_blobs, named, maxListed);
}

PutResult SqliteServerStorage::putConsultation(const KioskIdentity& kiosk, const std::string& id,
                                               std::int64_t kioskSeq, int revision,
                                               const std::string& sha256,
                                               const std::string& recordJson,
                                               const std::vector<std::string>& blobHashes,
                                               std::string& receivedAt) {
  PutResult result = PutResult::kConflict;
  std::string at;
  // Kept only when stored; every other answer undoes what the change wrote.
  changeInGroup([&] {
    for (const std::string& sha : blobHashes) {
      if (!hasUploaded(kiosk, sha)) {
        result = PutResult::kBlobsMissing;
        return false;
      }
    }
    {
      sqlite::Statement erased(m_db, "SELECT 1 FROM tombstones WHERE id = ?");
      erased.bind(1, id);
      if (erased.step()) {
        result = PutResult::kErased;
        return false;
      }
    }
    const std::string now = protocol::nowIso8601Utc();
    // Insert first and let the primary key decide: never check-then-insert.
    sqlite::Statement(
        m_db,
        "INSERT INTO consultation_revisions(id, revision, kiosk_id, sha256, received_at, "
        "record_json) VALUES(?,?,?,?,?,?) ON CONFLICT DO NOTHING")
        .bind(1, id)
        .bind(2, revision)
        .bind(3, kiosk.kioskId)
        .bind(4, sha256)
        .bind(5, now)
        .bind(6, recordJson)
        .run();
    if (m_db.changes() == 0) {
      sqlite::Statement existing(m_db,
                                 "SELECT sha256, received_at, kiosk_id FROM "
                                 "consultation_revisions WHERE id = ? AND revision = ?");
      existing.bind(1, id).bind(2, revision);
      if (existing.step() && existing.columnText(0) == sha256 &&
          existing.columnText(2) == kiosk.kioskId) {
        at = existing.columnText(1);
        result = PutResult::kDuplicate;
      }
      return false;
    }
    // A consultation belongs to the kiosk that made it; its sequence number is unique per kiosk.
    sqlite::Statement current(
        m_db, "SELECT revision, kiosk_id, kiosk_seq FROM consultations WHERE id = ?");
    current.bind(1, id);
    if (current.step()) {
      if (current.columnText(1) != kiosk.kioskId || current.columnInt(2) != kioskSeq) return false;
      if (current.columnInt(0) < revision) {
        sqlite::Statement(m_db,
                          "UPDATE consultations SET revision = ?, sha256 = ?, record_json = ?, "
                          "received_at = ? WHERE id = ?")
            .bind(1, revision)
            .bind(2, sha256)
            .bind(3, recordJson)
            .bind(4, now)
            .bind(5, id)
            .run();
      }
    } else {
      sqlite::Statement(m_db,
                        "INSERT INTO consultations(id, kiosk_id, kiosk_seq, revision, sha256, "
                        "record_json, received_at) "
                        "VALUES(?,?,?,?,?,?,?) ON CONFLICT DO NOTHING")
          .bind(1, id)
          .bind(2, kiosk.kioskId)
          .bind(3, kioskSeq)
          .bind(4, revision)
          .bind(5, sha256)
          .bind(6, recordJson)
          .bind(7, now)
          .run();
      if (m_db.changes() == 0) return false;  // another id holds this kiosk sequence
    }
    for (const std::string& sha : blobHashes) {
      sqlite::Statement(m_db, "INSERT OR IGNORE INTO consultation_blobs(id, sha256) VALUES(?,?)")
          .bind(1, id)
          .bind(2, sha)
          .run();
    }
    result = PutResult::kStored;
    at = now;
    return true;
  });
  if (result == PutResult::kStored || result == PutResult::kDuplicate) receivedAt = at;
  return result;
}

bool SqliteServerStorage::eraseConsultation(const KioskIdentity& kiosk, const std::string& id,
                                            std::string& erasedAt) {
  std::lock_guard lock(m_mutex);
  sqlite::Transaction tx(m_db);
  {
    sqlite::Statement owner(m_db, "SELECT kiosk_id FROM consultations WHERE id = ?");
    owner.bind(1, id);
    if (owner.step() && owner.columnText(0) != kiosk.kioskId) return false;
    sqlite::Statement tomb(m_db, "SELECT erased_at, kiosk_id FROM tombstones WHERE id = ?");
    tomb.bind(1, id);
    if (tomb.step()) {
      erasedAt = tomb.columnText(0);
      return tomb.columnText(1) == kiosk.kioskId;
    }
  }
  erasedAt = protocol::nowIso8601Utc();
  {
    // Never received: nothing to erase and nothing to remember. A tombstone here would let a
    // kiosk block an id that another kiosk is about to send.
    sqlite::Statement known(m_db, "SELECT 1 FROM consultation_revisions WHERE id = ?");
    known.bind(1, id);
    if (!known.step()) return true;
  }
  const auto unnamed = deleteConsultation(kiosk.kioskId, id, erasedAt);
  tx.commit();
  removeBlobFiles(unnamed);
  return true;
}

void SqliteServerStorage::forEachConsultation(
    const std::function<void(const StoredConsultation&)>& fn) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db,
                       "SELECT c.id, c.kiosk_id, k.clinic, c.kiosk_seq, c.revision, c.sha256, "
                       "c.received_at, c.record_json, c.follow_up FROM consultations c "
                       "JOIN kiosks k ON k.kiosk_id = c.kiosk_id ORDER BY c.kiosk_id, c.kiosk_seq");
  while (st.step()) {
    StoredConsultation c = consultationColumns(st);
    c.record = storedJson(st.columnText(7));
    fn(c);
  }
}

bool SqliteServerStorage::isErased(const std::string& id) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db, "SELECT 1 FROM tombstones WHERE id = ?");
  st.bind(1, id);
  return st.step();
}

void SqliteServerStorage::setConfig(const nlohmann::json& config) {
  {
    std::lock_guard lock(m_mutex);
    const std::string text = config.dump();
    sqlite::Statement(m_db,
                      "INSERT INTO config(id, json, etag) VALUES(1, ?, ?) "
                      "ON CONFLICT(id) DO UPDATE SET json = excluded.json, etag = excluded.etag")
        .bind(1, text)
        .bind(2, etagOf(text))
        .run();
  }
  keepConsentTextsOf(config);
}

void SqliteServerStorage::keepConsentText(const std::string& language, const std::string& version,
                                          const std::string& text) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement(m_db,
                    "INSERT OR IGNORE INTO consent_texts(sha256, language, version, text, "
                    "first_published_at) VALUES(?,?,?,?,?)")
      .bind(1, protocol::consentTextSha256(version, text))
      .bind(2, language)
      .bind(3, version)
      .bind(4, text)
      .bind(5, protocol::nowIso8601Utc())
      .run();
}

std::vector<ConsentTextVersion> SqliteServerStorage::consentTexts() {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db,
                       "SELECT sha256, language, version, first_published_at FROM consent_texts "
                       "ORDER BY language, first_published_at, version");
  std::vector<ConsentTextVersion> out;
  while (st.step()) {
    out.push_back({st.columnText(0), st.columnText(1), st.columnText(2), "", st.columnText(3)});
  }
  return out;
}

std::optional<ConsentTextVersion> SqliteServerStorage::consentText(const std::string& sha256) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db,
                       "SELECT sha256, language, version, text, first_published_at FROM "
                       "consent_texts WHERE sha256 = ?");
  st.bind(1, sha256);
  if (!st.step()) return std::nullopt;
  return ConsentTextVersion{st.columnText(0), st.columnText(1), st.columnText(2), st.columnText(3),
                            st.columnText(4)};
}

std::pair<nlohmann::json, std::string> SqliteServerStorage::config() {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db, "SELECT json, etag FROM config WHERE id = 1");
  if (!st.step()) return {nlohmann::json::object(), etagOf("{}")};
  auto config = storedJson(st.columnText(0));
  if (config.is_discarded())
    throw std::runtime_error("the stored config is unreadable: publish it again");
  return {config, st.columnText(1)};
}

void SqliteServerStorage::recordHeartbeat(const KioskIdentity& kiosk,
                                          const nlohmann::json& heartbeat) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement(m_db,
                    "UPDATE kiosks SET last_seen_at = ?, last_heartbeat = ? WHERE kiosk_id = ?")
      .bind(1, protocol::nowIso8601Utc())
      .bind(2, heartbeat.dump())
      .bind(3, kiosk.kioskId)
      .run();
}

KeyEscrowResult SqliteServerStorage::escrowStoreKey(const KioskIdentity& kiosk,
                                                    const std::string& publicHex,
                                                    const std::string& secretHex) {
  std::lock_guard lock(m_mutex);
  sqlite::Transaction tx(m_db);
  sqlite::Statement held(m_db, "SELECT public_key FROM kiosk_store_keys WHERE kiosk_id = ?");
  held.bind(1, kiosk.kioskId);
  if (held.step())
    return held.columnText(0) == publicHex ? KeyEscrowResult::kHeld : KeyEscrowResult::kConflict;
  sqlite::Statement(m_db,
                    "INSERT INTO kiosk_store_keys(kiosk_id, public_key, secret_key, escrowed_at) "
                    "VALUES(?,?,?,?)")
      .bind(1, kiosk.kioskId)
      .bind(2, publicHex)
      .bind(3, secretHex)
      .bind(4, protocol::nowIso8601Utc())
      .run();
  tx.commit();
  return KeyEscrowResult::kHeld;
}

std::optional<std::string> SqliteServerStorage::escrowedStoreKey(const KioskIdentity& kiosk) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db, "SELECT secret_key FROM kiosk_store_keys WHERE kiosk_id = ?");
  st.bind(1, kiosk.kioskId);
  if (!st.step()) return std::nullopt;
  return st.columnText(0);
}

StoredConsultation SqliteServerStorage::consultationColumns(const sqlite::Statement& st) {
  StoredConsultation c;
  c.id = st.columnText(0);
  c.kioskId = st.columnText(1);
  c.clinic = st.columnText(2);
  c.kioskSeq = st.columnInt(3);
  c.revision = static_cast<int>(st.columnInt(4));
  c.sha256 = st.columnText(5);
  c.receivedAt = st.columnText(6);
  c.followUp = st.columnText(8);
  return c;
}

std::vector<std::string> SqliteServerStorage::deleteConsultation(const std::string& kioskId,
                                                                 const std::string& id,
                                                                 const std::string& erasedAt) {
  sqlite::Statement(m_db, "DELETE FROM consultations WHERE id = ?").bind(1, id).run();
  sqlite::Statement(m_db, "DELETE FROM consultation_revisions WHERE id = ?").bind(1, id).run();
  // The kiosk's claim on the photos and previews goes, unless its other consultations still
  // name the same bytes.
  sqlite::Statement(m_db,
                    "DELETE FROM kiosk_blobs WHERE kiosk_id = ?2 AND sha256 IN "
                    "(SELECT sha256 FROM consultation_blobs WHERE id = ?1) AND sha256 NOT IN "
                    "(SELECT cb.sha256 FROM consultation_blobs cb JOIN consultations c "
                    "ON c.id = cb.id WHERE cb.id <> ?1 AND c.kiosk_id = ?2)")
      .bind(1, id)
      .bind(2, kioskId)
      .run();
  // The bytes go when nothing else names them: no other consultation, and no kiosk that has
  // uploaded them for a record still to come.
  std::vector<std::string> unnamed;
  {
    sqlite::Statement st(m_db,
                         "SELECT sha256 FROM consultation_blobs WHERE id = ?1 AND sha256 NOT IN "
                         "(SELECT sha256 FROM consultation_blobs WHERE id <> ?1) AND sha256 NOT "
                         "IN (SELECT sha256 FROM kiosk_blobs)");
    st.bind(1, id);
    while (st.step()) unnamed.push_back(st.columnText(0));
  }
  for (const auto& sha : unnamed) {
    sqlite::Statement(m_db, "DELETE FROM blobs WHERE sha256 = ?").bind(1, sha).run();
  }
  sqlite::Statement(m_db, "DELETE FROM consultation_blobs WHERE id = ?").bind(1, id).run();
  // Head office's notes about the client go with the record.
  sqlite::Statement(m_db, "DELETE FROM follow_up_events WHERE consultation_id = ?")
      .bind(1, id)
      .run();
  sqlite::Statement(m_db, "INSERT INTO tombstones(id, kiosk_id, erased_at) VALUES(?,?,?)")
      .bind(1, id)
      .bind(2, kioskId)
      .bind(3, erasedAt)
      .run();
  return unnamed;
}

std::optional<std::string> SqliteServerStorage::eraseAtHeadOffice(const std::string& id,
                                                                  std::string& erasedAt) {
  std::lock_guard lock(m_mutex);
  sqlite::Transaction tx(m_db);
  std::string kioskId;
  {
    sqlite::Statement owner(m_db, "SELECT kiosk_id FROM consultations WHERE id = ?");
    owner.bind(1, id);
    if (!owner.step()) return std::nullopt;
    kioskId = owner.columnText(0);
  }
  erasedAt = protocol::nowIso8601Utc();
  const auto unnamed = deleteConsultation(kioskId, id, erasedAt);
  sqlite::Statement(m_db,
                    "INSERT INTO kiosk_erasure_orders(kiosk_id, consultation_id, erased_at) "
                    "VALUES(?,?,?)")
      .bind(1, kioskId)
      .bind(2, id)
      .bind(3, erasedAt)
      .run();
  tx.commit();
  removeBlobFiles(unnamed);
  return kioskId;
}

std::vector<ServerStorage::ErasureOrder> SqliteServerStorage::erasureOrders(
    const KioskIdentity& kiosk, std::int64_t afterSeq, int limit) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db,
                       "SELECT seq, consultation_id, erased_at FROM kiosk_erasure_orders "
                       "WHERE kiosk_id = ? AND seq > ? ORDER BY seq LIMIT ?");
  st.bind(1, kiosk.kioskId).bind(2, afterSeq).bind(3, limit);
  std::vector<ErasureOrder> out;
  while (st.step()) out.push_back({st.columnInt(0), st.columnText(1), st.columnText(2)});
  return out;
}

std::vector<protocol::FollowUp> SqliteServerStorage::followUpsFor(const KioskIdentity& kiosk,
                                                                  std::int64_t afterSeq,
                                                                  int limit) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db,
                       "SELECT seq, consultation_id, status, note, author, at FROM "
                       "follow_up_events WHERE kiosk_id = ? AND seq > ? ORDER BY seq LIMIT ?");
  st.bind(1, kiosk.kioskId).bind(2, afterSeq).bind(3, limit);
  std::vector<protocol::FollowUp> out;
  while (st.step()) {
    out.push_back({st.columnInt(0), st.columnText(1), st.columnText(2), st.columnText(3),
                   st.columnText(4), st.columnText(5)});
  }
  return out;
}

}  // namespace smp::server
