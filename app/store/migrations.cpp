// Schema history of the kiosk store.
#include "app/store/migrations.h"

namespace smp::store {

const std::vector<std::string_view>& kioskMigrations() {
  static const std::vector<std::string_view> kMigrations = {
      // 1: first schema. Queried fields are typed columns; the full record travels as JSON.
      R"sql(
CREATE TABLE consultations(
  id TEXT PRIMARY KEY,
  kiosk_seq INTEGER NOT NULL UNIQUE,
  revision INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  client_name TEXT NOT NULL,
  concern TEXT NOT NULL,
  record_json TEXT NOT NULL,
  content_sha256 TEXT NOT NULL,
  locked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE blobs(
  sha256 TEXT PRIMARY KEY,
  mime TEXT NOT NULL,
  bytes BLOB NOT NULL
);
CREATE TABLE photos(
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  PRIMARY KEY(consultation_id, role)
);
CREATE TABLE previews(
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  params_json TEXT NOT NULL,
  PRIMARY KEY(consultation_id, sha256)
);
CREATE TABLE consents(
  consultation_id TEXT PRIMARY KEY REFERENCES consultations(id) ON DELETE CASCADE,
  text_sha256 TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  kiosk_id TEXT NOT NULL
);
CREATE TABLE outbox(
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  revision INTEGER NOT NULL,
  queued_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  synced_at TEXT,
  PRIMARY KEY(consultation_id, revision)
);
CREATE INDEX outbox_pending ON outbox(synced_at, queued_at);
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE audit_log(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  record_id TEXT NOT NULL
);
)sql",
      // 2: erasure and quarantine. The outbox is rebuilt without its foreign key so that a
      // tombstone can outlive the consultation it erases; refusals count 4xx answers, and a
      // record refused too often is quarantined (kept, shown to staff, not retried).
      R"sql(
CREATE TABLE outbox_v2(
  consultation_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  kind TEXT NOT NULL DEFAULT 'record' CHECK (kind IN ('record', 'tombstone')),
  queued_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  refusals INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  quarantined_at TEXT,
  synced_at TEXT,
  PRIMARY KEY(consultation_id, revision, kind)
);
INSERT INTO outbox_v2(consultation_id, revision, kind, queued_at, attempts, last_error, synced_at)
  SELECT consultation_id, revision, 'record', queued_at, attempts, last_error, synced_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v2 RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox(synced_at, quarantined_at, queued_at);
ALTER TABLE consents ADD COLUMN signature_sha256 TEXT;
CREATE TABLE tombstones(
  consultation_id TEXT PRIMARY KEY,
  kiosk_seq INTEGER NOT NULL,
  erased_at TEXT NOT NULL,
  erased_by TEXT NOT NULL
);
)sql",
      // 3: staff. PINs are stored only as Argon2id hashes; the lock survives restarts so that
      // switching the kiosk off and on does not reset the count of wrong PINs.
      R"sql(
CREATE TABLE staff(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
  pin_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  removed_at TEXT
);
CREATE TABLE staff_lock(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  failures INTEGER NOT NULL DEFAULT 0,
  lockouts INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0
);
INSERT INTO staff_lock(id) VALUES(1);
)sql",
      // 4: the PIN lockout ladder per account, so one member's sign-in no longer resets the
      // count of wrong PINs typed for another. (A kiosk-wide lock in force is not carried over.)
      R"sql(
CREATE TABLE staff_pin_guard(
  staff_id TEXT PRIMARY KEY,
  failures INTEGER NOT NULL DEFAULT 0,
  lockouts INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0
);
DROP TABLE staff_lock;
)sql",
      // 5: retention. Once head office has held a record long enough, the kiosk's readable copy
      // is purged: personal data and photos go, the row stays (id, sequence, hashes) for sync.
      R"sql(
ALTER TABLE consultations ADD COLUMN purged_at TEXT;
)sql",
      // 6: sealed at rest. A record's JSON moves into record_sealed (a sealed box to the store's
      // public key) and its name and concern columns are emptied; a blob's bytes are sealed in
      // place (sealed = 1). Rows written before are sealed by KioskStore when it opens, since
      // sealing needs code, not SQL.
      R"sql(
ALTER TABLE consultations ADD COLUMN record_sealed BLOB;
ALTER TABLE blobs ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
)sql",
      // 7: head office's follow-up of each record (status and notes, GET /v1/follow-ups), for the
      // staff screen. The note is sealed like the record; it goes with the record (erasure,
      // retention).
      R"sql(
CREATE TABLE follow_ups(
  seq INTEGER PRIMARY KEY,
  consultation_id TEXT NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  note_sealed BLOB NOT NULL,
  author TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX follow_ups_by_consultation ON follow_ups(consultation_id, seq);
)sql",
  };
  return kMigrations;
}

}  // namespace smp::store
