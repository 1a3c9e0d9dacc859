// Kiosk store implementation: migrations on open, one transaction per save, outbox bookkeeping.
#include "app/store/kiosk_store.h"

#include <cctype>
#include <chrono>

#include "app/store/migrations.h"
#include "sync/protocol/sha256.h"
#include "sync/protocol/untrusted_json.h"

namespace smp::store {

StoreFailure classifyFailure(const std::exception& e) {
  if (const auto* sq = dynamic_cast<const sqlite::SqliteError*>(&e)) {
    if (sq->isFull()) return StoreFailure::kDiskFull;
    if (sq->isIoError()) return StoreFailure::kDiskError;
    if (sq->isCorrupt()) return StoreFailure::kDamaged;
    if (sq->isBusy()) return StoreFailure::kBusy;
  }
  if (const auto* st = dynamic_cast<const StoreError*>(&e)) {
    if (st->code() == StoreErrorCode::kCorrupt) return StoreFailure::kDamaged;
    if (st->code() == StoreErrorCode::kIo) return StoreFailure::kDiskError;
    if (st->code() == StoreErrorCode::kSealed) return StoreFailure::kSealed;
  }
  return StoreFailure::kOther;
}
namespace {

constexpr const char* kPublicKeySetting = "store.public_key";
constexpr const char* kSecretKeySetting = "store.secret_key";
constexpr const char* kKeyEscrowedSetting = "store.key_escrowed_at";
// Set once every row an earlier version wrote in the clear has been sealed: later opens (the UI
// at start, the sync worker on every pass) skip the scan, which reads every blob's row.
constexpr const char* kAllSealedSetting = "store.all_rows_sealed";

std::int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

sqlite::Database openExisting(const std::filesystem::path& path) {
  try {
    sqlite::Database db(path);
    db.requireIntact();
    // Health data: freed pages (an erased client, a replaced revision) are overwritten.
    db.exec("PRAGMA secure_delete=ON");
    return db;
  } catch (const sqlite::SqliteError& e) {
    throw StoreError(e.isCorrupt() ? StoreErrorCode::kCorrupt : StoreErrorCode::kIo,
                     std::string("the kiosk database cannot be used: ") + e.what() +
                         ". It has been left untouched; staff should restore it from a backup "
                         "or move it aside.");
  }
}

}  // namespace

KioskStore::KioskStore(const std::filesystem::path& path, std::shared_ptr<StoreKeys> keys)
    : m_db(openExisting(path)), m_keys(keys ? std::move(keys) : std::make_shared<StoreKeys>()) {
  migrate();
  setUpKeys();
  sealPlaintextRows();
}

void KioskStore::setUpKeys() {
  std::optional<std::string> publicHex = setting(kPublicKeySetting);
  if (!publicHex) {
    const StoreKeyPair pair = makeStoreKeyPair();
    sqlite::Transaction tx(m_db);
    publicHex = setting(kPublicKeySetting);  // another connection may have been first
    if (!publicHex) {
      publicHex = keyToHex(pair.publicKey);
      setSetting(kPublicKeySetting, *publicHex);
      setSetting(kSecretKeySetting, keyToHex(pair.secretKey));
    }
    tx.commit();
  }
  const auto publicKey = keyFromHex(*publicHex);
  if (!publicKey) {
    throw StoreError(StoreErrorCode::kCorrupt,
                     "the kiosk database's store key is damaged. It has been left untouched; "
                     "staff should restore it from a backup or move it aside.");
  }
  if (!m_keys->adoptPublicKey(*publicKey)) {
    throw std::logic_error("two kiosk stores with different keys share one StoreKeys");
  }
  if (const auto secretHex = setting(kSecretKeySetting)) {
    const auto secretKey = keyFromHex(*secretHex);
    if (!secretKey || !m_keys->unlock(*secretKey)) {
      throw StoreError(StoreErrorCode::kCorrupt,
                       "the kiosk database's store key pair does not match. It has been left "
                       "untouched; staff should restore it from a backup or move it aside.");
    }
  }
}

void KioskStore::sealPlaintextRows() {
  // Only a store an earlier version wrote has any; sealing needs the public key alone.
  if (setting(kAllSealedSetting)) return;
  std::vector<std::pair<std::string, std::string>> records;
  {
    sqlite::Statement st(m_db,
                         "SELECT id, record_json FROM consultations WHERE record_sealed IS NULL "
                         "AND purged_at IS NULL");
    while (st.step()) records.emplace_back(st.columnText(0), st.columnText(1));
  }
  std::vector<std::string> blobs;
  {
    sqlite::Statement st(m_db, "SELECT sha256 FROM blobs WHERE sealed = 0");
    while (st.step()) blobs.push_back(st.columnText(0));
  }
  sqlite::Transaction tx(m_db);
  for (const auto& [id, json] : records) {
    sqlite::Statement(m_db,
                      "UPDATE consultations SET record_sealed = ?, record_json = '{}', "
                      "client_name = '', concern = '' WHERE id = ?")
        .bindBlob(1, sealText(json))
        .bind(2, id)
        .run();
  }
  for (const std::string& sha : blobs) {
    sqlite::Statement read(m_db, "SELECT bytes FROM blobs WHERE sha256 = ?");
    read.bind(1, sha);
    if (!read.step()) continue;
    const Bytes bytes = read.columnBlob(0);
    sqlite::Statement(m_db, "UPDATE blobs SET bytes = ?, sealed = 1 WHERE sha256 = ?")
        .bindBlob(1, m_keys->seal(bytes.data(), bytes.size()))
        .bind(2, sha)
        .run();
  }
  setSetting(kAllSealedSetting, "1");  // in the same transaction: a crash means scan again
  tx.commit();
  if (records.empty() && blobs.empty()) return;
  // secure_delete zeroed the pages that held the readable copies; the WAL may still hold them.
  m_db.checkpointAndTruncateWal();
}

std::vector<std::uint8_t> KioskStore::sealText(const std::string& text) const {
  return m_keys->seal(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::vector<std::uint8_t> KioskStore::openSealed(const std::vector<std::uint8_t>& sealed,
                                                 const std::string& what) const {
  std::optional<std::vector<std::uint8_t>> plain;
  try {
    plain = m_keys->open(sealed.data(), sealed.size());
  } catch (const std::exception& e) {
    throw StoreError(StoreErrorCode::kCorrupt, what + " is unreadable: " + e.what());
  }
  if (!plain) {
    throw StoreError(StoreErrorCode::kSealed,
                     what + " is sealed until head office sends this kiosk's key back");
  }
  return std::move(*plain);
}

void KioskStore::insertBlob(const BlobData& b) {
  sqlite::Statement(m_db,
                    "INSERT OR IGNORE INTO blobs(sha256, mime, bytes, sealed) VALUES(?,?,?,1)")
      .bind(1, b.ref.sha256)
      .bind(2, b.ref.mime)
      .bindBlob(3, m_keys->seal(b.bytes.data(), b.bytes.size()))
      .run();
}

StoreKey KioskStore::storePublicKey() const { return *m_keys->publicKey(); }

std::optional<StoreKey> KioskStore::secretKeyOnDisk() {
  const auto hex = setting(kSecretKeySetting);
  return hex ? keyFromHex(*hex) : std::nullopt;
}

void KioskStore::forgetSecretKeyOnDisk() {
  {
    sqlite::Transaction tx(m_db);
    deleteSetting(kSecretKeySetting);
    setSetting(kKeyEscrowedSetting, protocol::nowIso8601Utc());
    tx.commit();
  }
  // secure_delete zeroed the setting's old cell; the WAL still holds the page until truncated.
  m_db.checkpointAndTruncateWal();
}

std::string KioskStore::keyEscrowedAt() { return setting(kKeyEscrowedSetting).value_or(""); }

bool KioskStore::unseal(const StoreKey& secretKey) { return m_keys->unlock(secretKey); }

void KioskStore::migrate() {
  const auto& migrations = kioskMigrations();
  const int current = m_db.userVersion();
  // user_version is any signed 32-bit number a damaged or crafted file may hold; found by
  // fuzz_store_open (a negative version indexed the migrations before the first one).
  if (current < 0) {
    throw StoreError(StoreErrorCode::kCorrupt,
                     "the kiosk database has an impossible schema version (" +
                         std::to_string(current) +
                         "). It has been left untouched; staff should restore it from a backup "
                         "or move it aside.");
  }
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
  // Name, concern and answers exist only inside the sealed JSON.
  sqlite::Statement(m_db,
                    "INSERT INTO consultations(id, kiosk_seq, revision, created_at, client_name, "
                    "concern, record_json, content_sha256, record_sealed) "
                    "VALUES(?,?,?,?,'','','{}',?,?)")
      .bind(1, r.id)
      .bind(2, r.kioskSeq)
      .bind(3, r.revision)
      .bind(4, r.createdAt)
      .bind(5, r.contentSha256())
      .bindBlob(6, sealText(r.toJson().dump()))
      .run();
  for (const BlobData& b : c.blobs) insertBlob(b);
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
  sqlite::Statement st(m_db,
                       "SELECT record_sealed, record_json FROM consultations WHERE id = ? AND "
                       "purged_at IS NULL");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  std::string json;
  if (st.columnIsNull(0)) {
    json = st.columnText(1);  // only while an earlier version's rows are being sealed
  } else {
    const Bytes plain = openSealed(st.columnBlob(0), "consultation " + id);
    json.assign(plain.begin(), plain.end());
  }
  try {
    // A crafted database file is input from outside too: bounded like a body off the network.
    return protocol::ConsultationRecord::fromJson(
        protocol::parseUntrustedJson(json, protocol::kMaxRecordBytes));
  } catch (const std::exception& e) {
    throw StoreError(StoreErrorCode::kCorrupt,
                     "consultation " + id + " is unreadable: " + e.what());
  }
}

std::optional<Bytes> KioskStore::loadBlob(const std::string& sha256) {
  sqlite::Statement st(m_db, "SELECT bytes, sealed FROM blobs WHERE sha256 = ?");
  st.bind(1, sha256);
  if (!st.step()) return std::nullopt;
  if (st.columnInt(1) == 0) return st.columnBlob(0);
  return openSealed(st.columnBlob(0), "photo " + sha256.substr(0, 12));
}

namespace {

const char* kindName(OutboxKind kind) {
  return kind == OutboxKind::kTombstone ? "tombstone" : "record";
}

std::vector<OutboxEntry> readOutbox(sqlite::Statement& st) {
  std::vector<OutboxEntry> out;
  while (st.step()) {
    OutboxEntry e;
    e.consultationId = st.columnText(0);
    e.revision = static_cast<int>(st.columnInt(1));
    e.kind = st.columnText(2) == "tombstone" ? OutboxKind::kTombstone : OutboxKind::kRecord;
    e.attempts = static_cast<int>(st.columnInt(3));
    e.refusals = static_cast<int>(st.columnInt(4));
    e.lastError = st.columnText(5);
    e.quarantinedAt = st.columnText(6);
    out.push_back(std::move(e));
  }
  return out;
}

constexpr const char* kOutboxColumns =
    "SELECT o.consultation_id, o.revision, o.kind, o.attempts, o.refusals, o.last_error, "
    "COALESCE(o.quarantined_at, '') FROM outbox o ";

}  // namespace

std::vector<OutboxEntry> KioskStore::pendingOutbox(int limit) {
  // Records and tombstones in the order they were made: by kiosk sequence, then revision.
  sqlite::Statement st(
      m_db, std::string(kOutboxColumns) +
                "LEFT JOIN consultations c ON c.id = o.consultation_id "
                "LEFT JOIN tombstones t ON t.consultation_id = o.consultation_id "
                "WHERE o.synced_at IS NULL AND o.quarantined_at IS NULL "
                "ORDER BY COALESCE(c.kiosk_seq, t.kiosk_seq), o.revision, o.kind LIMIT ?");
  st.bind(1, limit);
  return readOutbox(st);
}

std::vector<OutboxEntry> KioskStore::quarantinedOutbox() {
  sqlite::Statement st(
      m_db,
      std::string(kOutboxColumns) +
          "WHERE o.synced_at IS NULL AND o.quarantined_at IS NOT NULL ORDER BY o.quarantined_at");
  return readOutbox(st);
}

void KioskStore::markSendAttempt(const std::string& id, int revision, OutboxKind kind) {
  markSendAttempts({{id, revision, kind}});
}

void KioskStore::markSendAttempts(const std::vector<OutboxItem>& items) {
  if (items.empty()) return;
  sqlite::Transaction tx(m_db);
  sqlite::Statement lock(m_db, "UPDATE consultations SET locked = 1 WHERE id = ?");
  sqlite::Statement count(m_db,
                          "UPDATE outbox SET attempts = attempts + 1 WHERE consultation_id = ? "
                          "AND revision = ? AND kind = ?");
  for (const auto& item : items) {
    lock.reset();
    lock.bind(1, item.id).run();
    count.reset();
    count.bind(1, item.id).bind(2, item.revision).bind(3, kindName(item.kind)).run();
  }
  tx.commit();
}

void KioskStore::markSynced(const std::string& id, int revision, const std::string& receivedAt,
                            OutboxKind kind) {
  markSyncedAll({{{id, revision, kind}, receivedAt}});
}

void KioskStore::markSyncedAll(const std::vector<OutboxAck>& acks) {
  if (acks.empty()) return;
  sqlite::Transaction tx(m_db);
  sqlite::Statement st(m_db,
                       "UPDATE outbox SET synced_at = ?, last_error = '' WHERE consultation_id = ? "
                       "AND revision = ? AND kind = ?");
  for (const auto& ack : acks) {
    st.reset();
    st.bind(1, ack.receivedAt.empty() ? protocol::nowIso8601Utc() : ack.receivedAt)
        .bind(2, ack.item.id)
        .bind(3, ack.item.revision)
        .bind(4, kindName(ack.item.kind))
        .run();
  }
  tx.commit();
}

void KioskStore::markFailed(const std::string& id, int revision, const std::string& error,
                            OutboxKind kind) {
  sqlite::Statement(
      m_db,
      "UPDATE outbox SET last_error = ? WHERE consultation_id = ? AND revision = ? AND kind = ?")
      .bind(1, error)
      .bind(2, id)
      .bind(3, revision)
      .bind(4, kindName(kind))
      .run();
}

bool KioskStore::markRefused(const std::string& id, int revision, const std::string& error,
                             OutboxKind kind) {
  sqlite::Transaction tx(m_db);
  sqlite::Statement(m_db,
                    "UPDATE outbox SET last_error = ?, refusals = refusals + 1, "
                    "quarantined_at = CASE WHEN refusals + 1 >= ? THEN ? ELSE NULL END "
                    "WHERE consultation_id = ? AND revision = ? AND kind = ?")
      .bind(1, error)
      .bind(2, kMaxRefusals)
      .bind(3, protocol::nowIso8601Utc())
      .bind(4, id)
      .bind(5, revision)
      .bind(6, kindName(kind))
      .run();
  sqlite::Statement q(m_db,
                      "SELECT quarantined_at IS NOT NULL FROM outbox WHERE consultation_id = ? AND "
                      "revision = ? AND kind = ?");
  q.bind(1, id).bind(2, revision).bind(3, kindName(kind));
  const bool quarantined = q.step() && q.columnInt(0) != 0;
  if (quarantined) {
    sqlite::Statement(m_db, "INSERT INTO audit_log(at, actor, action, record_id) VALUES(?,?,?,?)")
        .bind(1, protocol::nowIso8601Utc())
        .bind(2, "sync")
        .bind(3, "outbox.quarantine")
        .bind(4, id)
        .run();
  }
  tx.commit();
  return quarantined;
}

void KioskStore::releaseFromQuarantine(const std::string& id, int revision, OutboxKind kind,
                                       const std::string& actor) {
  sqlite::Transaction tx(m_db);
  sqlite::Statement(m_db,
                    "UPDATE outbox SET quarantined_at = NULL, refusals = 0 WHERE consultation_id = "
                    "? AND revision = ? AND kind = ?")
      .bind(1, id)
      .bind(2, revision)
      .bind(3, kindName(kind))
      .run();
  audit(actor, "outbox.release", id);
  tx.commit();
}

protocol::ConsultationRecord KioskStore::revise(const std::string& id, const nlohmann::json& intake,
                                                const std::string& actor) {
  if (!intake.is_object())
    throw StoreError(StoreErrorCode::kInvalid, "intake answers must be a JSON object");
  return revise(
      id, [&](protocol::ConsultationRecord& r) { r.intake = intake; }, actor);
}

protocol::ConsultationRecord KioskStore::revise(
    const std::string& id, const std::function<void(protocol::ConsultationRecord&)>& change,
    const std::string& actor, const std::vector<BlobData>& newBlobs) {
  sqlite::Transaction tx(m_db);
  auto record = loadRecord(id);
  if (!record) throw StoreError(StoreErrorCode::kNotFound, "no consultation " + id);
  const bool locked = isLocked(id);
  const std::string keepId = record->id;
  const auto keepSeq = record->kioskSeq;
  const int keepRevision = record->revision;
  change(*record);
  // Identity is not the caller's to change.
  record->id = keepId;
  record->kioskSeq = keepSeq;
  record->revision = locked ? keepRevision + 1 : keepRevision;  // a sent revision stays as it was
  if (record->clientName.empty() || record->clientName.size() > 200) {
    throw StoreError(StoreErrorCode::kInvalid, "a client name must be 1 to 200 characters");
  }
  sqlite::Statement(m_db,
                    "UPDATE consultations SET revision = ?, record_sealed = ?, record_json = '{}', "
                    "content_sha256 = ?, client_name = '', concern = '', locked = 0 WHERE id = ?")
      .bind(1, record->revision)
      .bindBlob(2, sealText(record->toJson().dump()))
      .bind(3, record->contentSha256())
      .bind(4, id)
      .run();
  if (locked) {
    sqlite::Statement(
        m_db,
        "INSERT INTO outbox(consultation_id, revision, kind, queued_at) VALUES(?,?,'record',?)")
        .bind(1, id)
        .bind(2, record->revision)
        .bind(3, nowSeconds())
        .run();
  }
  // Photos and previews follow the record: new bytes stored, rows rewritten, orphans removed.
  for (const BlobData& b : newBlobs) {
    if (protocol::sha256Hex(b.bytes) != b.ref.sha256) {
      throw StoreError(StoreErrorCode::kInvalid,
                       "blob " + b.ref.sha256 + " does not match its bytes");
    }
    insertBlob(b);
  }
  const std::vector<std::string> before = blobsNamedBy(id);
  sqlite::Statement(m_db, "DELETE FROM photos WHERE consultation_id = ?").bind(1, id).run();
  sqlite::Statement(m_db, "DELETE FROM previews WHERE consultation_id = ?").bind(1, id).run();
  for (const auto& ref : record->photos) {
    sqlite::Statement(m_db, "INSERT INTO photos(consultation_id, role, sha256) VALUES(?,?,?)")
        .bind(1, id)
        .bind(2, ref.role)
        .bind(3, ref.sha256)
        .run();  // the foreign key refuses a photo whose bytes are not stored
  }
  for (const auto& ref : record->previews) {
    sqlite::Statement(
        m_db, "INSERT OR IGNORE INTO previews(consultation_id, sha256, params_json) VALUES(?,?,?)")
        .bind(1, id)
        .bind(2, ref.sha256)
        .bind(3, record->previewParams.dump())
        .run();
  }
  deleteUnnamedBlobs(before);
  audit(actor, "consultation.revise", id);
  tx.commit();
  return *record;
}

bool KioskStore::erase(const std::string& id, const std::string& actor, bool tellHeadOffice) {
  sqlite::Transaction tx(m_db);
  std::int64_t seq = 0;
  int revision = 0;
  {
    sqlite::Statement st(m_db, "SELECT kiosk_seq, revision FROM consultations WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return false;
    seq = st.columnInt(0);
    revision = static_cast<int>(st.columnInt(1));
  }
  const std::vector<std::string> blobs = blobsNamedBy(id);
  // The record first (photos, previews and consent cascade), then the blobs it alone used: a
  // blob shared with another record stays.
  sqlite::Statement(m_db, "DELETE FROM consultations WHERE id = ?").bind(1, id).run();
  deleteUnnamedBlobs(blobs);
  // Unsent revisions of an erased record must never leave the kiosk.
  sqlite::Statement(
      m_db,
      "DELETE FROM outbox WHERE consultation_id = ? AND kind = 'record' AND synced_at IS NULL")
      .bind(1, id)
      .run();
  sqlite::Statement(
      m_db,
      "INSERT INTO tombstones(consultation_id, kiosk_seq, erased_at, erased_by) VALUES(?,?,?,?)")
      .bind(1, id)
      .bind(2, seq)
      .bind(3, protocol::nowIso8601Utc())
      .bind(4, actor)
      .run();
  if (tellHeadOffice) {
    sqlite::Statement(
        m_db,
        "INSERT INTO outbox(consultation_id, revision, kind, queued_at) VALUES(?,?,'tombstone',?)")
        .bind(1, id)
        .bind(2, revision)
        .bind(3, nowSeconds())
        .run();
  }
  audit(actor, "consultation.erase", id);
  tx.commit();
  m_listed.erase(id);
  // secure_delete zeroed the freed pages in the database; the WAL still holds the pages as they
  // were before the erasure until it is checkpointed and truncated.
  m_db.checkpointAndTruncateWal();
  return true;
}

int KioskStore::purgeAcknowledgedBefore(const std::string& cutoffIso, const std::string& actor) {
  sqlite::Transaction tx(m_db);
  std::vector<std::string> ids;
  {
    sqlite::Statement st(
        m_db,
        "SELECT c.id FROM consultations c WHERE c.purged_at IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.consultation_id = c.id "
        "                AND o.synced_at IS NULL) "
        "AND (SELECT MAX(o.synced_at) FROM outbox o WHERE o.consultation_id = c.id "
        "     AND o.kind = 'record') < ?");
    st.bind(1, cutoffIso);
    while (st.step()) ids.push_back(st.columnText(0));
  }
  for (const std::string& id : ids) {
    const std::vector<std::string> blobs = blobsNamedBy(id);
    sqlite::Statement(m_db, "DELETE FROM photos WHERE consultation_id = ?").bind(1, id).run();
    sqlite::Statement(m_db, "DELETE FROM previews WHERE consultation_id = ?").bind(1, id).run();
    sqlite::Statement(m_db, "DELETE FROM follow_ups WHERE consultation_id = ?").bind(1, id).run();
    sqlite::Statement(m_db,
                      "UPDATE consultations SET client_name = '', concern = '', "
                      "record_json = '{}', record_sealed = NULL, purged_at = ? WHERE id = ?")
        .bind(1, protocol::nowIso8601Utc())
        .bind(2, id)
        .run();
    deleteUnnamedBlobs(blobs);
    audit(actor, "consultation.purge", id);
  }
  tx.commit();
  if (!ids.empty()) m_db.checkpointAndTruncateWal();
  return static_cast<int>(ids.size());
}

std::vector<std::string> KioskStore::blobsNamedBy(const std::string& id) {
  sqlite::Statement st(m_db,
                       "SELECT sha256 FROM photos WHERE consultation_id = ?1 "
                       "UNION SELECT sha256 FROM previews WHERE consultation_id = ?1");
  st.bind(1, id);
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.columnText(0));
  return out;
}

void KioskStore::deleteUnnamedBlobs(const std::vector<std::string>& shas) {
  for (const std::string& sha : shas) {
    sqlite::Statement(m_db,
                      "DELETE FROM blobs WHERE sha256 = ?1 "
                      "AND NOT EXISTS (SELECT 1 FROM photos WHERE sha256 = ?1) "
                      "AND NOT EXISTS (SELECT 1 FROM previews WHERE sha256 = ?1)")
        .bind(1, sha)
        .run();
  }
}

namespace {
constexpr const char* kFollowUpCursorSetting = "sync.follow_up_cursor";
}

void KioskStore::keepFollowUps(const std::vector<protocol::FollowUp>& changes,
                               std::int64_t cursor) {
  sqlite::Transaction tx(m_db);
  for (const protocol::FollowUp& f : changes) {
    sqlite::Statement(m_db,
                      "INSERT OR IGNORE INTO follow_ups(seq, consultation_id, status, "
                      "note_sealed, author, at) SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS "
                      "(SELECT 1 FROM consultations WHERE id = ?2 AND purged_at IS NULL)")
        .bind(1, f.seq)
        .bind(2, f.consultationId)
        .bind(3, f.status)
        .bindBlob(4, sealText(f.note))
        .bind(5, f.author)
        .bind(6, f.at)
        .run();
  }
  setSetting(kFollowUpCursorSetting, std::to_string(cursor));
  tx.commit();
}

std::int64_t KioskStore::followUpCursor() { return sequenceSetting(kFollowUpCursorSetting); }

std::int64_t KioskStore::sequenceSetting(const std::string& key) {
  const auto text = setting(key);
  if (!text || text->empty() || text->size() > 18 ||
      text->find_first_not_of("0123456789") != std::string::npos)
    return 0;
  return std::stoll(*text);
}

std::vector<protocol::FollowUp> KioskStore::followUps(const std::string& id) {
  sqlite::Statement st(m_db,
                       "SELECT seq, status, note_sealed, author, at FROM follow_ups "
                       "WHERE consultation_id = ? ORDER BY seq");
  st.bind(1, id);
  std::vector<protocol::FollowUp> out;
  while (st.step()) {
    const Bytes note = openSealed(st.columnBlob(2), "a follow-up note of " + id);
    out.push_back({st.columnInt(0), id, st.columnText(1), std::string(note.begin(), note.end()),
                   st.columnText(3), st.columnText(4)});
  }
  return out;
}

bool KioskStore::isPurged(const std::string& id) {
  sqlite::Statement st(m_db, "SELECT 1 FROM consultations WHERE id = ? AND purged_at IS NOT NULL");
  st.bind(1, id);
  return st.step();
}

std::string KioskStore::acknowledgedAt(const std::string& id) {
  sqlite::Statement st(m_db,
                       "SELECT COALESCE(MAX(synced_at), '') FROM outbox WHERE consultation_id = ? "
                       "AND kind = 'record'");
  st.bind(1, id);
  st.step();
  return st.columnText(0);
}

bool KioskStore::isErased(const std::string& id) {
  sqlite::Statement st(m_db, "SELECT 1 FROM tombstones WHERE consultation_id = ?");
  st.bind(1, id);
  return st.step();
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
                         "SELECT COUNT(*), MIN(queued_at) FROM outbox "
                         "WHERE synced_at IS NULL AND quarantined_at IS NULL");
    st.step();
    s.pending = st.columnInt(0);
    if (!st.columnIsNull(1))
      s.oldestPendingAgeSeconds = std::max<std::int64_t>(0, nowSeconds() - st.columnInt(1));
  }
  {
    sqlite::Statement st(
        m_db, "SELECT COUNT(*) FROM outbox WHERE synced_at IS NULL AND quarantined_at IS NOT NULL");
    st.step();
    s.quarantined = st.columnInt(0);
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

namespace {

std::string asciiLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Fields of a record's JSON that may be missing or of another type in a damaged file.
std::string stringAt(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return "";
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

const nlohmann::json& objectAt(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  if (!j.is_object()) return kEmpty;
  const auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

bool containsIgnoringCase(const std::string& haystack, const std::string& lowerNeedle) {
  return asciiLower(haystack).find(lowerNeedle) != std::string::npos;
}

}  // namespace

std::vector<ConsultationSummary> KioskStore::listConsultations(const RecordQuery& q) {
  sqlite::Statement st(
      m_db,
      "SELECT c.id, c.kiosk_seq, c.revision, c.created_at, c.content_sha256, c.record_sealed, "
      "  c.record_json, "
      "  CASE WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.consultation_id = c.id "
      "                    AND o.synced_at IS NULL AND o.quarantined_at IS NOT NULL) "
      "         THEN 'quarantined' "
      "       WHEN EXISTS (SELECT 1 FROM outbox o WHERE o.consultation_id = c.id "
      "                    AND o.synced_at IS NULL) THEN 'pending' "
      "       WHEN c.purged_at IS NOT NULL THEN 'purged' ELSE 'synced' END, "
      "  COALESCE((SELECT MAX(o.synced_at) FROM outbox o WHERE o.consultation_id = c.id "
      "            AND o.kind = 'record'), '') "
      "FROM consultations c ORDER BY c.kiosk_seq DESC");
  const std::string needle = asciiLower(q.text);
  std::map<std::string, ListedFields> listed;  // what stays cached: rows that still exist
  std::vector<ConsultationSummary> out;
  while (st.step()) {
    ConsultationSummary s;
    s.id = st.columnText(0);
    s.kioskSeq = st.columnInt(1);
    s.revision = static_cast<int>(st.columnInt(2));
    s.createdAt = st.columnText(3);
    const std::string contentSha = st.columnText(4);
    s.syncState = st.columnText(7);
    s.acknowledgedAt = st.columnText(8);
    if (s.syncState != "purged") {
      auto cached = m_listed.find(s.id);
      if (cached != m_listed.end() && cached->second.contentSha256 == contentSha) {
        listed.insert(*cached);
      } else if (st.columnIsNull(5) || !sealed()) {
        ListedFields f;
        f.contentSha256 = contentSha;
        try {
          std::string text;
          if (st.columnIsNull(5)) {
            text = st.columnText(6);
          } else {
            const Bytes plain = openSealed(st.columnBlob(5), "consultation " + s.id);
            text.assign(plain.begin(), plain.end());
          }
          const nlohmann::json j = protocol::parseUntrustedJson(text, protocol::kMaxRecordBytes);
          f.clientName = stringAt(j, "client_name");
          f.concern = stringAt(j, "concern");
          const nlohmann::json& intake = objectAt(j, "intake");
          f.phone = stringAt(intake, "phone");
          if (const auto flags = intake.find("health_flags");
              flags != intake.end() && flags->is_array()) {
            f.healthFlags = static_cast<int>(flags->size());
          }
          f.staffStatus = stringAt(objectAt(intake, "staff_status"), "status");
        } catch (const protocol::ProtocolError&) {
          // A damaged record is still listed (by its date); opening it says what is wrong.
        } catch (const StoreError& e) {
          if (e.code() != StoreErrorCode::kCorrupt) throw;
        }
        listed.emplace(s.id, std::move(f));
      }
      if (const auto f = listed.find(s.id); f != listed.end()) {
        s.clientName = f->second.clientName;
        s.phone = f->second.phone;
        s.concern = f->second.concern;
        s.healthFlags = f->second.healthFlags;
        s.staffStatus = f->second.staffStatus;
      } else {
        s.sealed = true;
      }
    }
    if (static_cast<int>(out.size()) >= q.limit) continue;  // keep filling the cache
    if (!needle.empty() && !containsIgnoringCase(s.clientName, needle) &&
        !containsIgnoringCase(s.phone, needle) && s.createdAt.rfind(q.text, 0) != 0) {
      continue;
    }
    if (q.flaggedOnly && s.healthFlags == 0) continue;
    if (q.pendingOnly && s.syncState != "pending") continue;
    if (q.quarantinedOnly && s.syncState != "quarantined") continue;
    out.push_back(std::move(s));
  }
  m_listed = std::move(listed);  // erased and purged clients leave memory too
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

void KioskStore::deleteSetting(const std::string& key) {
  sqlite::Statement(m_db, "DELETE FROM settings WHERE key = ?").bind(1, key).run();
}

std::int64_t KioskStore::auditCount(const std::string& action, const std::string& sinceIso) {
  sqlite::Statement st(m_db, "SELECT COUNT(*) FROM audit_log WHERE action = ? AND at >= ?");
  st.bind(1, action).bind(2, sinceIso);
  st.step();
  return st.columnInt(0);
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
