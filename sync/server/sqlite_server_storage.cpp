// SQLite schema and queries of the head-office server.
#include "sync/server/sqlite_server_storage.h"

#include <sodium.h>

#include <stdexcept>

#include "sync/protocol/consultation.h"
#include "sync/protocol/sha256.h"

namespace smp::server {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS kiosks(
  kiosk_id TEXT PRIMARY KEY,
  clinic TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS blobs(
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS consultations(
  id TEXT PRIMARY KEY,
  kiosk_id TEXT NOT NULL REFERENCES kiosks(kiosk_id),
  kiosk_seq INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  record_json TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE(kiosk_id, kiosk_seq)
);
)sql";

std::string randomHex(std::size_t bytes) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), buf.data(), buf.size());
  hex.pop_back();
  return hex;
}

}  // namespace

SqliteServerStorage::SqliteServerStorage(const std::filesystem::path& path) : m_db(path) {
  m_db.requireIntact();
  m_db.exec(kSchema);
}

NewKiosk SqliteServerStorage::addKiosk(const std::string& clinic) {
  std::lock_guard lock(m_mutex);
  NewKiosk k{"kiosk-" + randomHex(6), "smpk_" + randomHex(32)};
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

std::optional<KioskIdentity> SqliteServerStorage::kioskForToken(const std::string& token) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(
      m_db, "SELECT kiosk_id, clinic FROM kiosks WHERE token_sha256 = ? AND revoked = 0");
  st.bind(1, protocol::sha256Hex(token));
  if (!st.step()) return std::nullopt;
  return KioskIdentity{st.columnText(0), st.columnText(1)};
}

bool SqliteServerStorage::hasBlob(const std::string& sha256) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(m_db, "SELECT 1 FROM blobs WHERE sha256 = ?");
  st.bind(1, sha256);
  return st.step();
}

void SqliteServerStorage::putBlob(const std::string& sha256, const std::string& bytes) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement(m_db,
                    "INSERT OR IGNORE INTO blobs(sha256, size, bytes, received_at) VALUES(?,?,?,?)")
      .bind(1, sha256)
      .bind(2, static_cast<std::int64_t>(bytes.size()))
      .bindBlob(3, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size())
      .bind(4, protocol::nowIso8601Utc())
      .run();
}

PutResult SqliteServerStorage::putConsultation(const KioskIdentity& kiosk, const std::string& id,
                                               std::int64_t kioskSeq, int revision,
                                               const std::string& sha256,
                                               const std::string& recordJson,
                                               std::string& receivedAt) {
  std::lock_guard lock(m_mutex);
  sqlite::Transaction tx(m_db);
  // Insert first and let the unique constraint decide: never check-then-insert.
  const std::string now = protocol::nowIso8601Utc();
  sqlite::Statement ins(
      m_db,
      "INSERT INTO consultations(id, kiosk_id, kiosk_seq, revision, sha256, record_json, "
      "received_at) VALUES(?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
  ins.bind(1, id)
      .bind(2, kiosk.kioskId)
      .bind(3, kioskSeq)
      .bind(4, revision)
      .bind(5, sha256)
      .bind(6, recordJson)
      .bind(7, now)
      .run();
  if (m_db.changes() == 1) {
    tx.commit();
    receivedAt = now;
    return PutResult::kStored;
  }
  sqlite::Statement existing(m_db, "SELECT sha256, received_at FROM consultations WHERE id = ?");
  existing.bind(1, id);
  if (existing.step() && existing.columnText(0) == sha256) {
    receivedAt = existing.columnText(1);
    return PutResult::kDuplicate;
  }
  return PutResult::kConflict;
}

void SqliteServerStorage::forEachConsultation(
    const std::function<void(const StoredConsultation&)>& fn) {
  std::lock_guard lock(m_mutex);
  sqlite::Statement st(
      m_db,
      "SELECT c.id, c.kiosk_id, k.clinic, c.kiosk_seq, c.revision, c.sha256, "
      "c.received_at, c.record_json FROM consultations c "
      "JOIN kiosks k ON k.kiosk_id = c.kiosk_id ORDER BY c.received_at, c.kiosk_id, c.kiosk_seq");
  while (st.step()) {
    StoredConsultation c;
    c.id = st.columnText(0);
    c.kioskId = st.columnText(1);
    c.clinic = st.columnText(2);
    c.kioskSeq = st.columnInt(3);
    c.revision = static_cast<int>(st.columnInt(4));
    c.sha256 = st.columnText(5);
    c.receivedAt = st.columnText(6);
    c.record = nlohmann::json::parse(st.columnText(7), nullptr, false);
    fn(c);
  }
}

}  // namespace smp::server
