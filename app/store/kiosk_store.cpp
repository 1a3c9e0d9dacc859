// Kiosk store implementation: migrations on open, one transaction per save, outbox bookkeeping.
#include "app/store/kiosk_store.h"

#include <chrono>

#include "app/store/migrations.h"
#include "sync/protocol/sha256.h"

namespace smp::store {
namespace {

std::int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

sqlite::Database openExisting(const std::filesystem::path& path) {
  try {
    sqlite::Database db(path);
    db.requireIntact();
    return db;
  } catch (const sqlite::SqliteError& e) {
    throw StoreError(e.isCorrupt() ? StoreErrorCode::kCorrupt : StoreErrorCode::kIo,
                     std::string("the kiosk database cannot be used: ") + e.what() +
                         ". It has been left untouched; staff should restore it from a backup "
                         "or move it aside.");
  }
}

}  // namespace

KioskStore::KioskStore(const std::filesystem::path& path) : m_db(openExisting(path)) { migrate(); }

void KioskStore::migrate() {
  const auto& migrations = kioskMigrations();
  const int current = m_db.userVersion();
  if (current > static_cast<int>(migrations.size())) {
    throw StoreError(StoreErrorCode::kNewerSchema,
                     "the kiosk database has schema version " + std::to_string(current) +
                         " but this program knows up to " + std::to_string(migrations.size()) +
                         ": install the newer kiosk software");
  }
  for (int v = current; v < static_cast<int>(migrations.size()); ++v) {
    sqlite::Transaction tx(m_db);
    m_db.exec(migrations[static_cast<std::size_t>(v)]);
    m_db.setUserVersion(v + 1);
    tx.commit();
  }
}

protocol::ConsultationRecord KioskStore::save(ConsultationToSave c) {
  protocol::ConsultationRecord& r = c.record;
  if (r.id.empty()) r.id = protocol::newUuid();
  r.revision = 1;
  // Every blob the record names must be handed over with matching bytes.
  for (const std::string& sha : r.blobHashes()) {
    bool found = false;
    for (const BlobData& b : c.blobs) {
      if (b.ref.sha256 != sha) continue;
      if (protocol::sha256Hex(b.bytes) != sha) {
        throw StoreError(StoreErrorCode::kInvalid, "blob " + sha + " does not match its bytes");
      }
      found = true;
    }
    if (!found) throw StoreError(StoreErrorCode::kInvalid, "blob " + sha + " is named but missing");
  }

  sqlite::Transaction tx(m_db);
  {
    sqlite::Statement seq(m_db, "SELECT COALESCE(MAX(kiosk_seq), 0) + 1 FROM consultations");
    seq.step();
    r.kioskSeq = seq.columnInt(0);
  }
  const std::string json = r.toJson().dump();
  const std::string hash = r.contentSha256();
  sqlite::Statement(m_db,
                    "INSERT INTO consultations(id, kiosk_seq, revision, created_at, client_name, "
                    "concern, record_json, content_sha256) VALUES(?,?,?,?,?,?,?,?)")
      .bind(1, r.id)
      .bind(2, r.kioskSeq)
      .bind(3, r.revision)
      .bind(4, r.createdAt)
      .bind(5, r.clientName)
      .bind(6, r.concern)
      .bind(7, json)
      .bind(8, hash)
      .run();
  for (const BlobData& b : c.blobs) {
    sqlite::Statement(m_db, "INSERT OR IGNORE INTO blobs(sha256, mime, bytes) VALUES(?,?,?)")
        .bind(1, b.ref.sha256)
        .bind(2, b.ref.mime)
        .bindBlob(3, b.bytes.data(), b.bytes.size())
        .run();
  }
  for (const protocol::BlobRef& p : r.photos) {
    sqlite::Statement(m_db, "INSERT INTO photos(consultation_id, role, sha256) VALUES(?,?,?)")
        .bind(1, r.id)
        .bind(2, p.role)
        .bind(3, p.sha256)
        .run();
  }
  for (const protocol::BlobRef& p : r.previews) {
    sqlite::Statement(
        m_db, "INSERT OR IGNORE INTO previews(consultation_id, sha256, params_json) VALUES(?,?,?)")
        .bind(1, r.id)
        .bind(2, p.sha256)
        .bind(3, r.previewParams.dump())
        .run();
  }
  sqlite::Statement(
      m_db,
      "INSERT INTO consents(consultation_id, text_sha256, signed_at, kiosk_id) VALUES(?,?,?,?)")
      .bind(1, r.id)
      .bind(2, r.consentTextSha256)
      .bind(3, r.consentedAt)
      .bind(4, c.kioskId)
      .run();
  sqlite::Statement(m_db, "INSERT INTO outbox(consultation_id, revision, queued_at) VALUES(?,?,?)")
      .bind(1, r.id)
      .bind(2, r.revision)
      .bind(3, nowSeconds())
      .run();
  sqlite::Statement(m_db, "INSERT INTO audit_log(at, actor, action, record_id) VALUES(?,?,?,?)")
      .bind(1, protocol::nowIso8601Utc())
      .bind(2, "client")
      .bind(3, "consultation.save")
      .bind(4, r.id)
      .run();
  tx.commit();
  return r;
}

std::optional<protocol::ConsultationRecord> KioskStore::loadRecord(const std::string& id) {
  sqlite::Statement st(m_db, "SELECT record_json FROM consultations WHERE id = ?");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  try {
    return protocol::ConsultationRecord::fromJson(nlohmann::json::parse(st.columnText(0)));
  } catch (const std::exception& e) {
    throw StoreError(StoreErrorCode::kCorrupt,
                     "consultation " + id + " is unreadable: " + e.what());
  }
}

std::optional<Bytes> KioskStore::loadBlob(const std::string& sha256) {
  sqlite::Statement st(m_db, "SELECT bytes FROM blobs WHERE sha256 = ?");
  st.bind(1, sha256);
  if (!st.step()) return std::nullopt;
  return st.columnBlob(0);
}

std::vector<OutboxEntry> KioskStore::pendingOutbox(int limit) {
  sqlite::Statement st(
      m_db,
      "SELECT o.consultation_id, o.revision, o.attempts, o.last_error FROM outbox o "
      "JOIN consultations c ON c.id = o.consultation_id "
      "WHERE o.synced_at IS NULL ORDER BY c.kiosk_seq LIMIT ?");
  st.bind(1, limit);
  std::vector<OutboxEntry> out;
  while (st.step()) {
    out.push_back({st.columnText(0), static_cast<int>(st.columnInt(1)),
                   static_cast<int>(st.columnInt(2)), st.columnText(3)});
  }
  return out;
}

void KioskStore::markSendAttempt(const std::string& id, int revision) {
  sqlite::Transaction tx(m_db);
  sqlite::Statement(m_db, "UPDATE consultations SET locked = 1 WHERE id = ?").bind(1, id).run();
  sqlite::Statement(
      m_db, "UPDATE outbox SET attempts = attempts + 1 WHERE consultation_id = ? AND revision = ?")
      .bind(1, id)
      .bind(2, revision)
      .run();
  tx.commit();
}

void KioskStore::markSynced(const std::string& id, int revision, const std::string& receivedAt) {
  sqlite::Statement(
      m_db,
      "UPDATE outbox SET synced_at = ?, last_error = '' WHERE consultation_id = ? AND revision = ?")
      .bind(1, receivedAt.empty() ? protocol::nowIso8601Utc() : receivedAt)
      .bind(2, id)
      .bind(3, revision)
      .run();
}

void KioskStore::markFailed(const std::string& id, int revision, const std::string& error) {
  sqlite::Statement(m_db,
                    "UPDATE outbox SET last_error = ? WHERE consultation_id = ? AND revision = ?")
      .bind(1, error)
      .bind(2, id)
      .bind(3, revision)
      .run();
}

bool KioskStore::isLocked(const std::string& id) {
  sqlite::Statement st(m_db, "SELECT locked FROM consultations WHERE id = ?");
  st.bind(1, id);
  return st.step() && st.columnInt(0) != 0;
}

void KioskStore::setLastSync(const std::string& result) {
  sqlite::Transaction tx(m_db);
  setSetting("sync.last_at", protocol::nowIso8601Utc());
  setSetting("sync.last_result", result);
  tx.commit();
}

StoreStatus KioskStore::status() {
  StoreStatus s;
  {
    sqlite::Statement st(m_db, "SELECT COUNT(*) FROM consultations");
    st.step();
    s.records = st.columnInt(0);
  }
  {
    sqlite::Statement st(m_db,
                         "SELECT COUNT(*), MIN(queued_at) FROM outbox WHERE synced_at IS NULL");
    st.step();
    s.pending = st.columnInt(0);
    if (!st.columnIsNull(1))
      s.oldestPendingAgeSeconds = std::max<std::int64_t>(0, nowSeconds() - st.columnInt(1));
  }
  s.lastSyncAt = setting("sync.last_at").value_or("");
  s.lastSyncResult = setting("sync.last_result").value_or("never synced");
  return s;
}

std::vector<std::string> KioskStore::consultationIds() {
  sqlite::Statement st(m_db, "SELECT id FROM consultations ORDER BY kiosk_seq");
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.columnText(0));
  return out;
}

std::optional<std::string> KioskStore::setting(const std::string& key) {
  sqlite::Statement st(m_db, "SELECT value FROM settings WHERE key = ?");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return st.columnText(0);
}

void KioskStore::setSetting(const std::string& key, const std::string& value) {
  sqlite::Statement(m_db,
                    "INSERT INTO settings(key, value) VALUES(?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, value)
      .run();
}

void KioskStore::audit(const std::string& actor, const std::string& action,
                       const std::string& recordId) {
  sqlite::Statement(m_db, "INSERT INTO audit_log(at, actor, action, record_id) VALUES(?,?,?,?)")
      .bind(1, protocol::nowIso8601Utc())
      .bind(2, actor)
      .bind(3, action)
      .bind(4, recordId)
      .run();
}

}  // namespace smp::store
