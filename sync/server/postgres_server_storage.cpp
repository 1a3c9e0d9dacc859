// PostgreSQL schema and queries of the head-office server: the same rows as the SQLite backend
// (sqlite_server_storage.cpp), written so that several server processes can share them.
#include "sync/server/postgres_server_storage.h"

#include <chrono>
#include <limits>
#include <stdexcept>

#include "sync/protocol/consultation.h"
#include "sync/protocol/enrolment_code.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/sha256.h"
#include "sync/server/listing_fields.h"
#include "sync/server/postgres_rows.h"
#include "sync/server/storage_common.h"

namespace smp::server {
namespace {

using storage::etagOf;
using storage::nowUnixSeconds;
using storage::storedJson;
using storage::uploadName;

// Which of the blobs named in BLOBS (a text[]) the kiosk KIOSK does not hold, with their place
// in the array (columns sha, n). Each is one probe of kiosk_blobs' primary key (LATERAL ...
// LIMIT 1), whatever the statistics said when a connection cached its plan: a NOT EXISTS
// anti-join planned on a nearly empty table hashes all of the kiosk's blobs on every call.
// Migration 5 embeds it: never change it (a later migration gets a new one).
#define SMP_BLOBS_NOT_HELD(KIOSK, BLOBS)                                                  \
  "SELECT s.sha, s.n FROM unnest(" BLOBS                                                  \
  ") WITH ORDINALITY AS s(sha, n) "                                                       \
  "LEFT JOIN LATERAL (SELECT true AS held FROM kiosk_blobs kb WHERE kb.kiosk_id = " KIOSK \
  " AND kb.sha256 = s.sha LIMIT 1) AS h ON true WHERE h.held IS NULL"

// Migration N takes the schema from N-1 to N; never edit a shipped one. Every text column
// compares and sorts byte by byte (the domain's COLLATE "C"), as SQLite does, whatever locale
// the cluster was made with: pages, exports and ids order the same on both backends.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE DOMAIN smp_text AS TEXT COLLATE "C";
CREATE TABLE kiosks(
  kiosk_id smp_text PRIMARY KEY,
  clinic smp_text NOT NULL,
  token_sha256 smp_text NOT NULL UNIQUE,
  created_at smp_text NOT NULL,
  revoked BOOLEAN NOT NULL DEFAULT false,
  last_seen_at smp_text,
  last_heartbeat smp_text
);
CREATE TABLE blobs(
  sha256 smp_text PRIMARY KEY,
  size BIGINT NOT NULL,
  received_at smp_text NOT NULL
);
CREATE TABLE kiosk_blobs(
  kiosk_id smp_text NOT NULL,
  sha256 smp_text NOT NULL,
  PRIMARY KEY(kiosk_id, sha256)
);
CREATE INDEX kiosk_blobs_by_sha ON kiosk_blobs(sha256);
CREATE TABLE uploads(
  kiosk_id smp_text NOT NULL,
  sha256 smp_text NOT NULL,
  total_size BIGINT NOT NULL,
  received BIGINT NOT NULL,
  received_unix BIGINT NOT NULL,
  PRIMARY KEY(kiosk_id, sha256)
);
CREATE INDEX uploads_by_age ON uploads(received_unix);
-- The listing fields (clinic ... created_week) are copied out of the record when a revision is
-- stored, so a page of 100,000 records never parses 100,000 JSON documents.
CREATE TABLE consultations(
  id smp_text PRIMARY KEY,
  kiosk_id smp_text NOT NULL REFERENCES kiosks(kiosk_id),
  kiosk_seq BIGINT NOT NULL,
  revision INTEGER NOT NULL,
  sha256 smp_text NOT NULL,
  record_json smp_text NOT NULL,
  received_at smp_text NOT NULL,
  clinic smp_text NOT NULL,
  created_at smp_text,
  created_week smp_text,
  client_name smp_text,
  concern smp_text,
  phone smp_text,
  email smp_text,
  loss_stage smp_text,
  health_flag_count INTEGER NOT NULL DEFAULT 0,
  UNIQUE(kiosk_id, kiosk_seq)
);
CREATE INDEX consultations_listing ON consultations(created_at, id);
CREATE INDEX consultations_by_clinic_created ON consultations(clinic, created_at, id);
CREATE TABLE consultation_revisions(
  id smp_text NOT NULL,
  revision INTEGER NOT NULL,
  kiosk_id smp_text NOT NULL,
  sha256 smp_text NOT NULL,
  received_at smp_text NOT NULL,
  PRIMARY KEY(id, revision)
);
CREATE TABLE consultation_blobs(
  id smp_text NOT NULL,
  sha256 smp_text NOT NULL,
  PRIMARY KEY(id, sha256)
);
CREATE INDEX consultation_blobs_by_sha ON consultation_blobs(sha256);
CREATE TABLE tombstones(
  id smp_text PRIMARY KEY,
  kiosk_id smp_text NOT NULL,
  erased_at smp_text NOT NULL
);
CREATE TABLE config(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  json smp_text NOT NULL,
  etag smp_text NOT NULL
);
CREATE TABLE kiosk_store_keys(
  kiosk_id smp_text PRIMARY KEY REFERENCES kiosks(kiosk_id),
  public_key smp_text NOT NULL,
  secret_key smp_text NOT NULL,
  escrowed_at smp_text NOT NULL
);
CREATE TABLE office_users(
  id smp_text PRIMARY KEY,
  name smp_text NOT NULL UNIQUE,
  role smp_text NOT NULL CHECK (role IN ('admin', 'analyst', 'clinic-manager')),
  clinics_json smp_text NOT NULL DEFAULT '[]',
  password_hash smp_text NOT NULL,
  disabled BOOLEAN NOT NULL DEFAULT false,
  created_at smp_text NOT NULL
);
CREATE TABLE office_sessions(
  id_sha256 smp_text PRIMARY KEY,
  user_id smp_text NOT NULL REFERENCES office_users(id),
  csrf_token smp_text NOT NULL,
  created_unix BIGINT NOT NULL,
  last_seen_unix BIGINT NOT NULL
);
CREATE INDEX office_sessions_by_user ON office_sessions(user_id);
CREATE TABLE office_signin_failures(
  key smp_text NOT NULL,
  at_unix BIGINT NOT NULL
);
CREATE INDEX office_signin_failures_by_key ON office_signin_failures(key, at_unix);
CREATE TABLE office_audit(
  seq BIGSERIAL PRIMARY KEY,
  at smp_text NOT NULL,
  user_name smp_text NOT NULL,
  action smp_text NOT NULL,
  target smp_text NOT NULL,
  detail smp_text NOT NULL
);
CREATE INDEX office_audit_by_target ON office_audit(target, seq);
CREATE TABLE kiosk_erasure_orders(
  seq BIGSERIAL PRIMARY KEY,
  kiosk_id smp_text NOT NULL,
  consultation_id smp_text NOT NULL,
  erased_at smp_text NOT NULL
);
CREATE INDEX kiosk_erasure_orders_by_kiosk ON kiosk_erasure_orders(kiosk_id, seq);
CREATE TABLE enrolment_codes(
  code_sha256 smp_text PRIMARY KEY,
  kiosk_id smp_text NOT NULL REFERENCES kiosks(kiosk_id),
  created_at smp_text NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at smp_text
);
CREATE INDEX enrolment_codes_by_kiosk ON enrolment_codes(kiosk_id);
CREATE TABLE server_settings(
  key smp_text PRIMARY KEY,
  value smp_text NOT NULL
);
)sql",
    // Storing a revision in one round trip: the steps putConsultation took one statement at a
    // time (about nine round trips a record), inside PostgreSQL. Same rules, same order.
    R"sql(
CREATE FUNCTION smp_put_consultation(
    p_lock BIGINT, p_kiosk TEXT, p_clinic TEXT, p_id TEXT, p_seq BIGINT, p_rev INTEGER,
    p_sha TEXT, p_json TEXT, p_now TEXT, p_created_at TEXT, p_created_week TEXT,
    p_client_name TEXT, p_concern TEXT, p_phone TEXT, p_email TEXT, p_loss_stage TEXT,
    p_flags INTEGER, p_blobs TEXT[])
  RETURNS TABLE(outcome TEXT, received TEXT) LANGUAGE plpgsql AS $$
DECLARE
  existing RECORD;
  cur RECORD;
BEGIN
  -- One consultation id at a time, across every server: a revision and an erasure of the same
  -- id never interleave.
  PERFORM pg_advisory_xact_lock(p_lock);
  IF EXISTS (SELECT 1 FROM tombstones WHERE id = p_id) THEN
    RETURN QUERY SELECT 'erased'::TEXT, ''::TEXT;
    RETURN;
  END IF;
  -- Insert first and let the primary key decide: never check-then-insert.
  INSERT INTO consultation_revisions(id, revision, kiosk_id, sha256, received_at)
    VALUES (p_id, p_rev, p_kiosk, p_sha, p_now) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    SELECT r.sha256, r.received_at, r.kiosk_id INTO existing FROM consultation_revisions r
      WHERE r.id = p_id AND r.revision = p_rev;
    IF FOUND AND existing.sha256 = p_sha AND existing.kiosk_id = p_kiosk THEN
      RETURN QUERY SELECT 'duplicate'::TEXT, existing.received_at::TEXT;
    ELSE
      RETURN QUERY SELECT 'conflict'::TEXT, ''::TEXT;
    END IF;
    RETURN;
  END IF;
  -- A consultation belongs to the kiosk that made it; its sequence number is unique per kiosk.
  -- A refusal after the revision row went in raises, so the whole call is undone.
  SELECT c.revision, c.kiosk_id, c.kiosk_seq INTO cur FROM consultations c WHERE c.id = p_id;
  IF FOUND THEN
    IF cur.kiosk_id <> p_kiosk OR cur.kiosk_seq <> p_seq THEN
      RAISE EXCEPTION 'smp: conflict' USING ERRCODE = 'SMP01';
    END IF;
    IF cur.revision < p_rev THEN
      UPDATE consultations SET revision = p_rev, sha256 = p_sha, record_json = p_json,
        received_at = p_now, created_at = p_created_at, created_week = p_created_week,
        client_name = p_client_name, concern = p_concern, phone = p_phone, email = p_email,
        loss_stage = p_loss_stage, health_flag_count = p_flags
      WHERE id = p_id;
    END IF;
  ELSE
    INSERT INTO consultations(id, kiosk_id, kiosk_seq, revision, sha256, record_json,
        received_at, clinic, created_at, created_week, client_name, concern, phone, email,
        loss_stage, health_flag_count)
      VALUES (p_id, p_kiosk, p_seq, p_rev, p_sha, p_json, p_now, p_clinic, p_created_at,
        p_created_week, p_client_name, p_concern, p_phone, p_email, p_loss_stage, p_flags)
      ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN  -- another id holds this kiosk sequence
      RAISE EXCEPTION 'smp: conflict' USING ERRCODE = 'SMP01';
    END IF;
  END IF;
  INSERT INTO consultation_blobs(id, sha256) SELECT p_id, unnest(p_blobs) ON CONFLICT DO NOTHING;
  RETURN QUERY SELECT 'stored'::TEXT, p_now;
END;
$$;
)sql",
    // Head office's follow-up (as SQLite's migration 9): every change with its note, and the
    // current status on the consultation, which smp_put_consultation never touches.
    R"sql(
CREATE TABLE follow_up_events(
  seq BIGSERIAL PRIMARY KEY,
  consultation_id smp_text NOT NULL,
  kiosk_id smp_text NOT NULL,
  status smp_text NOT NULL,
  note smp_text NOT NULL,
  author smp_text NOT NULL,
  at smp_text NOT NULL
);
CREATE INDEX follow_up_events_by_kiosk ON follow_up_events(kiosk_id, seq);
CREATE INDEX follow_up_events_by_consultation ON follow_up_events(consultation_id, seq);
ALTER TABLE consultations ADD COLUMN follow_up smp_text NOT NULL DEFAULT 'new';
-- The consent text signed, for the table's consent-version filter (as SQLite: the first 16
-- hex digits of its hash).
ALTER TABLE consultations ADD COLUMN consent_key smp_text;
-- Read with a pattern, not ::jsonb (which refuses JSON that holds \u0000, valid as a record).
UPDATE consultations SET consent_key =
  substring(record_json from '"consent_text_sha256"\s*:\s*"([0-9a-f]{16})[0-9a-f]{48}"');
-- Each revision's record from now on (the consultation page says what a revision changed): the
-- same function, which now keeps the record with its revision and copies the consent hash.
ALTER TABLE consultation_revisions ADD COLUMN record_json smp_text;
CREATE OR REPLACE FUNCTION smp_put_consultation(
    p_lock BIGINT, p_kiosk TEXT, p_clinic TEXT, p_id TEXT, p_seq BIGINT, p_rev INTEGER,
    p_sha TEXT, p_json TEXT, p_now TEXT, p_created_at TEXT, p_created_week TEXT,
    p_client_name TEXT, p_concern TEXT, p_phone TEXT, p_email TEXT, p_loss_stage TEXT,
    p_flags INTEGER, p_blobs TEXT[])
  RETURNS TABLE(outcome TEXT, received TEXT) LANGUAGE plpgsql AS $$
DECLARE
  existing RECORD;
  cur RECORD;
BEGIN
  -- One consultation id at a time, across every server: a revision and an erasure of the same
  -- id never interleave.
  PERFORM pg_advisory_xact_lock(p_lock);
  IF EXISTS (SELECT 1 FROM tombstones WHERE id = p_id) THEN
    RETURN QUERY SELECT 'erased'::TEXT, ''::TEXT;
    RETURN;
  END IF;
  -- Insert first and let the primary key decide: never check-then-insert.
  INSERT INTO consultation_revisions(id, revision, kiosk_id, sha256, received_at, record_json)
    VALUES (p_id, p_rev, p_kiosk, p_sha, p_now, p_json) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    SELECT r.sha256, r.received_at, r.kiosk_id INTO existing FROM consultation_revisions r
      WHERE r.id = p_id AND r.revision = p_rev;
    IF FOUND AND existing.sha256 = p_sha AND existing.kiosk_id = p_kiosk THEN
      RETURN QUERY SELECT 'duplicate'::TEXT, existing.received_at::TEXT;
    ELSE
      RETURN QUERY SELECT 'conflict'::TEXT, ''::TEXT;
    END IF;
    RETURN;
  END IF;
  -- A consultation belongs to the kiosk that made it; its sequence number is unique per kiosk.
  -- A refusal after the revision row went in raises, so the whole call is undone.
  SELECT c.revision, c.kiosk_id, c.kiosk_seq INTO cur FROM consultations c WHERE c.id = p_id;
  IF FOUND THEN
    IF cur.kiosk_id <> p_kiosk OR cur.kiosk_seq <> p_seq THEN
      RAISE EXCEPTION 'smp: conflict' USING ERRCODE = 'SMP01';
    END IF;
    IF cur.revision < p_rev THEN
      UPDATE consultations SET revision = p_rev, sha256 = p_sha, record_json = p_json,
        received_at = p_now, created_at = p_created_at, created_week = p_created_week,
        client_name = p_client_name, concern = p_concern, phone = p_phone, email = p_email,
        loss_stage = p_loss_stage, health_flag_count = p_flags,
        consent_key = substring(p_json from '"consent_text_sha256"\s*:\s*"([0-9a-f]{16})[0-9a-f]{48}"')
      WHERE id = p_id;
    END IF;
  ELSE
    INSERT INTO consultations(id, kiosk_id, kiosk_seq, revision, sha256, record_json,
        received_at, clinic, created_at, created_week, client_name, concern, phone, email,
        loss_stage, health_flag_count, consent_key)
      VALUES (p_id, p_kiosk, p_seq, p_rev, p_sha, p_json, p_now, p_clinic, p_created_at,
        p_created_week, p_client_name, p_concern, p_phone, p_email, p_loss_stage, p_flags,
        substring(p_json from '"consent_text_sha256"\s*:\s*"([0-9a-f]{16})[0-9a-f]{48}"'))
      ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN  -- another id holds this kiosk sequence
      RAISE EXCEPTION 'smp: conflict' USING ERRCODE = 'SMP01';
    END IF;
  END IF;
  INSERT INTO consultation_blobs(id, sha256) SELECT p_id, unnest(p_blobs) ON CONFLICT DO NOTHING;
  RETURN QUERY SELECT 'stored'::TEXT, p_now;
END;
$$;
CREATE TABLE office_photo_exports(
  id smp_text PRIMARY KEY,
  user_name smp_text NOT NULL,
  filter smp_text NOT NULL,
  state smp_text NOT NULL,
  files BIGINT NOT NULL,
  total_bytes BIGINT NOT NULL,
  done_bytes BIGINT NOT NULL,
  zip_bytes BIGINT NOT NULL,
  error smp_text NOT NULL,
  created_at smp_text NOT NULL,
  updated_unix BIGINT NOT NULL
);
CREATE INDEX office_photo_exports_by_user ON office_photo_exports(user_name, created_at);
CREATE TABLE consent_texts(
  sha256 smp_text PRIMARY KEY,
  language smp_text NOT NULL,
  version smp_text NOT NULL,
  text smp_text NOT NULL,
  first_published_at smp_text NOT NULL
);
)sql",
    // The blob check moves into the same call (migration 4): the function now answers
    // 'missing' with the hashes this kiosk has not uploaded, so storing a record is one round
    // trip, and the check and the store are one transaction.
    R"sql(
CREATE OR REPLACE FUNCTION smp_put_consultation(
    p_lock BIGINT, p_kiosk TEXT, p_clinic TEXT, p_id TEXT, p_seq BIGINT, p_rev INTEGER,
    p_sha TEXT, p_json TEXT, p_now TEXT, p_created_at TEXT, p_created_week TEXT,
    p_client_name TEXT, p_concern TEXT, p_phone TEXT, p_email TEXT, p_loss_stage TEXT,
    p_flags INTEGER, p_blobs TEXT[])
  RETURNS TABLE(outcome TEXT, received TEXT) LANGUAGE plpgsql AS $$
DECLARE
  existing RECORD;
  cur RECORD;
  missing TEXT;
BEGIN
  -- A record is stored only with its bytes: the photos and previews it names must be this
  -- kiosk's finished uploads. Checked here, not in a query of its own before the call: one
  -- round trip a record instead of two (the commonest request a chain's server answers).
  SELECT string_agg(s.sha, ',' ORDER BY s.n) INTO missing
    FROM unnest(p_blobs) WITH ORDINALITY AS s(sha, n)
    WHERE NOT EXISTS (SELECT 1 FROM kiosk_blobs kb WHERE kb.kiosk_id = p_kiosk AND kb.sha256 = s.sha);
  IF missing IS NOT NULL THEN
    RETURN QUERY SELECT 'missing'::TEXT, missing;
    RETURN;
  END IF;
  -- One consultation id at a time, across every server: a revision and an erasure of the same
  -- id never interleave.
  PERFORM pg_advisory_xact_lock(p_lock);
  IF EXISTS (SELECT 1 FROM tombstones WHERE id = p_id) THEN
    RETURN QUERY SELECT 'erased'::TEXT, ''::TEXT;
    RETURN;
  END IF;
  -- Insert first and let the primary key decide: never check-then-insert.
  INSERT INTO consultation_revisions(id, revision, kiosk_id, sha256, received_at, record_json)
    VALUES (p_id, p_rev, p_kiosk, p_sha, p_now, p_json) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    SELECT r.sha256, r.received_at, r.kiosk_id INTO existing FROM consultation_revisions r
      WHERE r.id = p_id AND r.revision = p_rev;
    IF FOUND AND existing.sha256 = p_sha AND existing.kiosk_id = p_kiosk THEN
      RETURN QUERY SELECT 'duplicate'::TEXT, existing.received_at::TEXT;
    ELSE
      RETURN QUERY SELECT 'conflict'::TEXT, ''::TEXT;
    END IF;
    RETURN;
  END IF;
  -- A consultation belongs to the kiosk that made it; its sequence number is unique per kiosk.
  -- A refusal after the revision row went in raises, so the whole call is undone.
  SELECT c.revision, c.kiosk_id, c.kiosk_seq INTO cur FROM consultations c WHERE c.id = p_id;
  IF FOUND THEN
    IF cur.kiosk_id <> p_kiosk OR cur.kiosk_seq <> p_seq THEN
      RAISE EXCEPTION 'smp: conflict' USING ERRCODE = 'SMP01';
    END IF;
    IF cur.revision < p_rev THEN
      UPDATE consultations SET revision = p_rev, sha256 = p_sha, record_json = p_json,
        received_at = p_now, created_at = p_created_at, created_week = p_created_week,
        client_name = p_client_name, concern = p_concern, phone = p_phone, email = p_email,
        loss_stage = p_loss_stage, health_flag_count = p_flags,
        consent_key = substring(p_json from '"consent_text_sha256"\s*:\s*"([0-9a-f]{16})[0-9a-f]{48}"')
      WHERE id = p_id;
    END IF;
  ELSE
    INSERT INTO consultations(id, kiosk_id, kiosk_seq, revision, sha256, record_json,
        received_at, clinic, created_at, created_week, client_name, concern, phone, email,
        loss_stage, health_flag_count, consent_key)
      VALUES (p_id, p_kiosk, p_seq, p_rev, p_sha, p_json, p_now, p_clinic, p_created_at,
        p_created_week, p_client_name, p_concern, p_phone, p_email, p_loss_stage, p_flags,
        substring(p_json from '"consent_text_sha256"\s*:\s*"([0-9a-f]{16})[0-9a-f]{48}"'))
      ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN  -- another id holds this kiosk sequence
      RAISE EXCEPTION 'smp: conflict' USING ERRCODE = 'SMP01';
    END IF;
  END IF;
  INSERT INTO consultation_blobs(id, sha256) SELECT p_id, unnest(p_blobs) ON CONFLICT DO NOTHING;
  RETURN QUERY SELECT 'stored'::TEXT, p_now;
END;
$$;
)sql",
    // Migration 5. The blob check probes the primary key once per named blob: its NOT EXISTS
    // form let a connection's cached plan, made while kiosk_blobs was nearly empty, hash every
    // blob of the kiosk on each record (2.3 ms at 4,000 blobs, growing with them).
    // And a photo sent whole is recorded by one call: before, its upload's state took one
    // transaction and its rows a second, seven round trips a photo. The caller has checked the
    // hash and written the file; the call says whether the kiosk already held the blob,
    // whether an upload in pieces of it is under way, or that it is now the kiosk's.
    R"sql(
CREATE OR REPLACE FUNCTION smp_put_consultation(
    p_lock BIGINT, p_kiosk TEXT, p_clinic TEXT, p_id TEXT, p_seq BIGINT, p_rev INTEGER,
    p_sha TEXT, p_json TEXT, p_now TEXT, p_created_at TEXT, p_created_week TEXT,
    p_client_name TEXT, p_concern TEXT, p_phone TEXT, p_email TEXT, p_loss_stage TEXT,
    p_flags INTEGER, p_blobs TEXT[])
  RETURNS TABLE(outcome TEXT, received TEXT) LANGUAGE plpgsql AS $$
DECLARE
  existing RECORD;
  cur RECORD;
  missing TEXT;
BEGIN
  -- A record is stored only with its bytes: the photos and previews it names must be this
  -- kiosk's finished uploads. Checked here, not in a query of its own before the call: one
  -- round trip a record instead of two (the commonest request a chain's server answers).
  SELECT string_agg(m.sha, ',' ORDER BY m.n) INTO missing
    FROM ()sql" SMP_BLOBS_NOT_HELD("p_kiosk", "p_blobs") R"sql() AS m;
  IF missing IS NOT NULL THEN
    RETURN QUERY SELECT 'missing'::TEXT, missing;
    RETURN;
  END IF;
  -- One consultation id at a time, across every server: a revision and an erasure of the same
  -- id never interleave.
  PERFORM pg_advisory_xact_lock(p_lock);
  IF EXISTS (SELECT 1 FROM tombstones WHERE id = p_id) THEN
    RETURN QUERY SELECT 'erased'::TEXT, ''::TEXT;
    RETURN;
  END IF;
  -- Insert first and let the primary key decide: never check-then-insert.
  INSERT INTO consultation_revisions(id, revision, kiosk_id, sha256, received_at, record_json)
    VALUES (p_id, p_rev, p_kiosk, p_sha, p_now, p_json) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    SELECT r.sha256, r.received_at, r.kiosk_id INTO existing FROM consultation_revisions r
      WHERE r.id = p_id AND r.revision = p_rev;
    IF FOUND AND existing.sha256 = p_sha AND existing.kiosk_id = p_kiosk THEN
      RETURN QUERY SELECT 'duplicate'::TEXT, existing.received_at::TEXT;
    ELSE
      RETURN QUERY SELECT 'conflict'::TEXT, ''::TEXT;
    END IF;
    RETURN;
  END IF;
  -- A consultation belongs to the kiosk that made it; its sequence number is unique per kiosk.
  -- A refusal after the revision row went in raises, so the whole call is undone.
  SELECT c.revision, c.kiosk_id, c.kiosk_seq INTO cur FROM consultations c WHERE c.id = p_id;
  IF FOUND THEN
    IF cur.kiosk_id <> p_kiosk OR cur.kiosk_seq <> p_seq THEN
      RAISE EXCEPTION 'smp: conflict' USING ERRCODE = 'SMP01';
    END IF;
    IF cur.revision < p_rev THEN
      UPDATE consultations SET revision = p_rev, sha256 = p_sha, record_json = p_json,
        received_at = p_now, created_at = p_created_at, created_week = p_created_week,
        client_name = p_client_name, concern = p_concern, phone = p_phone, email = p_email,
        loss_stage = p_loss_stage, health_flag_count = p_flags,
        consent_key = substring(p_json from '"consent_text_sha256"\s*:\s*"([0-9a-f]{16})[0-9a-f]{48}"')
      WHERE id = p_id;
    END IF;
  ELSE
    INSERT INTO consultations(id, kiosk_id, kiosk_seq, revision, sha256, record_json,
        received_at, clinic, created_at, created_week, client_name, concern, phone, email,
        loss_stage, health_flag_count, consent_key)
      VALUES (p_id, p_kiosk, p_seq, p_rev, p_sha, p_json, p_now, p_clinic, p_created_at,
        p_created_week, p_client_name, p_concern, p_phone, p_email, p_loss_stage, p_flags,
        substring(p_json from '"consent_text_sha256"\s*:\s*"([0-9a-f]{16})[0-9a-f]{48}"'))
      ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN  -- another id holds this kiosk sequence
      RAISE EXCEPTION 'smp: conflict' USING ERRCODE = 'SMP01';
    END IF;
  END IF;
  INSERT INTO consultation_blobs(id, sha256) SELECT p_id, unnest(p_blobs) ON CONFLICT DO NOTHING;
  RETURN QUERY SELECT 'stored'::TEXT, p_now;
END;
$$;
CREATE FUNCTION smp_put_whole_blob(p_lock BIGINT, p_kiosk TEXT, p_sha TEXT, p_size BIGINT,
                                   p_now TEXT)
  RETURNS TABLE(outcome TEXT, received BIGINT) LANGUAGE plpgsql AS $$
DECLARE
  partial RECORD;
  discarded BOOLEAN := false;
BEGIN
  IF EXISTS (SELECT 1 FROM kiosk_blobs kb WHERE kb.kiosk_id = p_kiosk AND kb.sha256 = p_sha) THEN
    RETURN QUERY SELECT 'present'::TEXT, p_size;
    RETURN;
  END IF;
  SELECT u.received, u.total_size INTO partial FROM uploads u
    WHERE u.kiosk_id = p_kiosk AND u.sha256 = p_sha FOR UPDATE;
  IF FOUND THEN
    IF partial.total_size = p_size AND partial.received <> 0 THEN
      -- The same upload is under way in pieces: the kiosk goes on from where it stands.
      RETURN QUERY SELECT 'wrong_offset'::TEXT, partial.received;
      RETURN;
    END IF;
    -- A different size declared for the same hash: the earlier partial is junk.
    DELETE FROM uploads u WHERE u.kiosk_id = p_kiosk AND u.sha256 = p_sha;
    discarded := true;
  END IF;
  -- The blob's lock orders this against an erasure removing the same bytes. Committed without
  -- waiting for the WAL flush: the record naming the blob commits durably, flushing this
  -- along, before its kiosk is answered; a row a crash loses is asked for again (422).
  PERFORM pg_advisory_xact_lock(p_lock);
  PERFORM set_config('synchronous_commit', 'off', true);
  INSERT INTO blobs(sha256, size, received_at) VALUES (p_sha, p_size, p_now)
    ON CONFLICT DO NOTHING;
  INSERT INTO kiosk_blobs(kiosk_id, sha256) VALUES (p_kiosk, p_sha) ON CONFLICT DO NOTHING;
  RETURN QUERY SELECT CASE WHEN discarded THEN 'stored_discarded' ELSE 'stored' END, p_size;
END;
$$;
)sql",
};

// The commonest statements, prepared once on every connection. Storing a record is the request
// a chain's server answers most: preparing its call took record uploads at 32 kiosks from
// about 1,820 to 2,050 a second (sync_bench).
const std::vector<PreparedStatement> kPrepared = {
    {"put_consultation",
     "SELECT outcome, received FROM smp_put_consultation($1, $2, $3, $4, $5, $6, $7, $8, $9, "
     "$10, $11, $12, $13, $14, $15, $16, $17, $18::text[])"},
    {"put_whole_blob",
     "SELECT outcome, received FROM smp_put_whole_blob($1, $2, $3, $4::bigint, $5)"},
};

// Advisory lock spaces: one for schema changes, one per blob, one per consultation id.
constexpr std::int64_t kMigrationLock = 0x534d505f4d494752;  // "SMP_MIGR"

using postgres::consultationColumns;
using postgres::lockKey;
using postgres::text;

}  // namespace

std::span<const char* const> postgresMigrations() { return kMigrations; }

const char* postgresBlobsNotHeldQuery() { return SMP_BLOBS_NOT_HELD("$1", "$2::text[]"); }

PostgresServerStorage::PostgresServerStorage(const std::string& uri,
                                             const std::filesystem::path& blobFolder,
                                             int maxConnections)
    : m_pool(uri, maxConnections, kPrepared) {
  migrate();
  m_blobFolder = chooseBlobFolder(blobFolder);
  m_blobs = std::make_unique<FileBlobStore>(m_blobFolder);
  m_tokens = std::make_unique<KioskTokenCache>(uri);
  keepConsentTextsOf(config().first);  // a config published before texts were kept
}

PostgresServerStorage::~PostgresServerStorage() = default;

std::string PostgresServerStorage::describe() const { return "PostgreSQL " + m_pool.redactedUri(); }

void PostgresServerStorage::migrate() {
  constexpr int kCount = static_cast<int>(std::size(kMigrations));
  static_assert(std::size(kMigrations) == kPostgresSchemaVersion);
  auto c = m_pool.borrow();
  // Two servers started together: one migrates, the other waits and then finds nothing to do.
  pqxx::nontransaction(*c).exec_params("SELECT pg_advisory_lock($1)", kMigrationLock);
  struct Unlock {
    PostgresPool::Lease& c;
    ~Unlock() {
      try {
        pqxx::nontransaction(*c).exec_params("SELECT pg_advisory_unlock($1)", kMigrationLock);
      } catch (const std::exception&) {
        c->disconnect();  // the session ends, and its lock with it
      }
    }
  } unlock{c};
  int current = 0;
  {
    pqxx::work w(*c);
    w.exec("CREATE TABLE IF NOT EXISTS smp_schema(version INTEGER NOT NULL)");
    const auto r = w.exec("SELECT version FROM smp_schema");
    if (r.empty()) {
      w.exec("INSERT INTO smp_schema(version) VALUES(0)");
    } else {
      current = r[0][0].as<int>();
    }
    w.commit();
  }
  if (current < 0 || current > kCount) {
    throw std::runtime_error(
        "the head-office database has schema version " + std::to_string(current) +
        (current < 0 ? ", which is impossible; it was left untouched: restore it from a backup"
                     : " but this server knows up to " + std::to_string(kCount) +
                           ": run the newer smp-server"));
  }
  for (int v = current; v < kCount; ++v) {
    pqxx::work w(*c);
    w.exec(kMigrations[v]);
    w.exec_params("UPDATE smp_schema SET version = $1", v + 1);
    w.commit();
  }
}

std::filesystem::path PostgresServerStorage::chooseBlobFolder(const std::filesystem::path& given) {
  std::filesystem::path folder;
  transact([&](pqxx::work& w) {
    folder.clear();
    if (!given.empty()) {
      folder = std::filesystem::absolute(given);
      w.exec_params(
          "INSERT INTO server_settings(key, value) VALUES('blob_folder', $1) "
          "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
          folder.string());
      return;
    }
    const auto r = w.exec("SELECT value FROM server_settings WHERE key = 'blob_folder'");
    if (!r.empty()) folder = text(r[0][0]);
  });
  if (folder.empty()) {
    throw std::runtime_error(
        "this PostgreSQL head office has no blob folder yet: give one with --blobs FOLDER (every "
        "server on this database must reach the same folder, e.g. a shared mount)");
  }
  return folder;
}

void PostgresServerStorage::transact(const std::function<void(pqxx::work&)>& change) {
  for (int attempt = 1;; ++attempt) {
    auto c = m_pool.borrow();
    try {
      pqxx::work w(*c);
      try {
        change(w);
      } catch (const Undo&) {
        w.abort();
        return;
      }
      w.commit();
      return;
    } catch (const pqxx::transaction_rollback&) {
      if (attempt == 3) throw;  // deadlock or serialisation failure: PostgreSQL undid it all
    }
  }
}

NewKiosk PostgresServerStorage::addKiosk(const std::string& clinic) {
  NewKiosk k{"kiosk-" + protocol::randomHex(6), "smpk_" + protocol::randomHex(32)};
  transact([&](pqxx::work& w) {
    w.exec_params(
        "INSERT INTO kiosks(kiosk_id, clinic, token_sha256, created_at) VALUES($1,$2,$3,$4)",
        k.kioskId, clinic, protocol::sha256Hex(k.token), protocol::nowIso8601Utc());
  });
  return k;
}

namespace {

// Every server's token cache forgets everything when this transaction commits.
void announceTokenChange(pqxx::work& w) {
  w.exec(std::string("NOTIFY ") + KioskTokenCache::kChannel);
}

}  // namespace

bool PostgresServerStorage::revokeKiosk(const std::string& kioskId) {
  bool found = false;
  transact([&](pqxx::work& w) {
    found = w.exec_params("UPDATE kiosks SET revoked = true WHERE kiosk_id = $1", kioskId)
                .affected_rows() == 1;
    announceTokenChange(w);
  });
  m_tokens->forgetAll();
  return found;
}

std::optional<std::string> PostgresServerStorage::rotateKioskToken(const std::string& kioskId) {
  const std::string token = "smpk_" + protocol::randomHex(32);
  bool found = false;
  transact([&](pqxx::work& w) {
    found =
        w.exec_params("UPDATE kiosks SET token_sha256 = $1, revoked = false WHERE kiosk_id = $2",
                      protocol::sha256Hex(token), kioskId)
            .affected_rows() == 1;
    announceTokenChange(w);
  });
  m_tokens->forgetAll();
  if (!found) return std::nullopt;
  return token;
}

std::optional<EnrolmentCode> PostgresServerStorage::issueEnrolmentCode(const std::string& kioskId,
                                                                       std::int64_t expiresAtUnix) {
  std::optional<EnrolmentCode> issued;
  transact([&](pqxx::work& w) {
    issued.reset();
    // Locks the kiosk's row: two codes issued at once still leave only the newest alive.
    if (w.exec_params("SELECT 1 FROM kiosks WHERE kiosk_id = $1 FOR UPDATE", kioskId).empty())
      return;
    w.exec_params("DELETE FROM enrolment_codes WHERE kiosk_id = $1 AND used_at IS NULL", kioskId);
    EnrolmentCode code{protocol::newEnrolmentCode(),
                       protocol::iso8601Utc(std::chrono::system_clock::time_point(
                           std::chrono::seconds(expiresAtUnix)))};
    w.exec_params(
        "INSERT INTO enrolment_codes(code_sha256, kiosk_id, created_at, expires_at) "
        "VALUES($1,$2,$3,$4)",
        protocol::sha256Hex(*protocol::normaliseEnrolmentCode(code.code)), kioskId,
        protocol::nowIso8601Utc(), expiresAtUnix);
    issued = std::move(code);
  });
  return issued;
}

std::variant<Enrolment, EnrolmentRefusal> PostgresServerStorage::redeemEnrolmentCode(
    const std::string& code, std::int64_t nowUnix) {
  std::variant<Enrolment, EnrolmentRefusal> outcome = EnrolmentRefusal::kUnknown;
  transact([&](pqxx::work& w) {
    outcome = EnrolmentRefusal::kUnknown;
    // FOR UPDATE: of two kiosks racing with one code, the second waits and then sees it used.
    const auto r = w.exec_params(
        "SELECT c.kiosk_id, k.clinic, c.expires_at, c.used_at IS NOT NULL, k.revoked "
        "FROM enrolment_codes c JOIN kiosks k USING(kiosk_id) WHERE c.code_sha256 = $1 "
        "FOR UPDATE",
        protocol::sha256Hex(code));
    if (r.empty()) return;
    if (r[0][3].as<bool>()) {
      outcome = EnrolmentRefusal::kUsed;
      return;
    }
    if (r[0][2].as<std::int64_t>() <= nowUnix) {
      outcome = EnrolmentRefusal::kExpired;
      return;
    }
    if (r[0][4].as<bool>()) {
      outcome = EnrolmentRefusal::kKioskRevoked;
      return;
    }
    Enrolment e{text(r[0][0]), text(r[0][1]), "smpk_" + protocol::randomHex(32)};
    w.exec_params("UPDATE enrolment_codes SET used_at = $1 WHERE code_sha256 = $2",
                  protocol::nowIso8601Utc(), protocol::sha256Hex(code));
    w.exec_params("UPDATE kiosks SET token_sha256 = $1 WHERE kiosk_id = $2",
                  protocol::sha256Hex(e.token), e.kioskId);
    announceTokenChange(w);
    outcome = std::move(e);
  });
  m_tokens->forgetAll();
  return outcome;
}

std::vector<KioskSummary> PostgresServerStorage::kiosks() {
  std::vector<KioskSummary> out;
  transact([&](pqxx::work& w) {
    out.clear();
    for (const auto& row : w.exec("SELECT kiosk_id, clinic, revoked, last_seen_at, "
                                  "last_heartbeat FROM kiosks ORDER BY created_at, kiosk_id")) {
      KioskSummary k{text(row[0]), text(row[1]), row[2].as<bool>(), text(row[3]), nullptr};
      if (!row[4].is_null()) k.lastHeartbeat = storedJson(text(row[4]));
      out.push_back(std::move(k));
    }
  });
  return out;
}

std::optional<KioskIdentity> PostgresServerStorage::kioskForToken(const std::string& token) {
  const std::string sha = protocol::sha256Hex(token);
  if (auto known = m_tokens->find(sha)) return known;
  const auto generation = m_tokens->generation();
  const auto r = autocommit(
      "SELECT kiosk_id, clinic FROM kiosks WHERE token_sha256 = $1 AND NOT revoked", sha);
  if (r.empty()) return std::nullopt;
  KioskIdentity kiosk{text(r[0][0]), text(r[0][1])};
  m_tokens->remember(sha, kiosk, generation);
  return kiosk;
}

UploadState PostgresServerStorage::uploadState(const KioskIdentity& kiosk,
                                               const std::string& sha256) {
  const auto r = autocommit(
      "SELECT EXISTS(SELECT 1 FROM kiosk_blobs WHERE kiosk_id = $1 AND sha256 = $2), "
      "(SELECT received FROM uploads WHERE kiosk_id = $1 AND sha256 = $2)",
      kiosk.kioskId, sha256);
  if (r[0][0].as<bool>()) return {true, 0};
  return {false, r[0][1].is_null() ? 0 : r[0][1].as<std::uint64_t>()};
}

namespace {

// A text[] literal of lowercase hex hashes (the protocol checked them: nothing to quote).
std::string hashArray(const std::vector<std::string>& sha256s) {
  std::string out = "{";
  for (const std::string& sha : sha256s) out += (out.size() > 1 ? "," : "") + sha;
  return out + "}";
}

}  // namespace

std::vector<std::string> PostgresServerStorage::missingBlobs(
    const KioskIdentity& kiosk, const std::vector<std::string>& sha256s) {
  std::vector<std::string> missing;
  if (sha256s.empty()) return missing;
  for (const auto& row : autocommit(std::string(postgresBlobsNotHeldQuery()) + " ORDER BY s.n",
                                    kiosk.kioskId, hashArray(sha256s))) {
    missing.push_back(text(row[0]));
  }
  return missing;
}

ChunkOutcome PostgresServerStorage::putChunk(const KioskIdentity& kiosk, const std::string& sha256,
                                             std::uint64_t totalSize, std::uint64_t offset,
                                             const std::string& bytes, const UploadQuota& quota) {
  const std::string part = uploadName(kiosk, sha256);
  if (offset == 0 && bytes.size() == totalSize) return putWholeBlob(kiosk, sha256, bytes);
  // 1. Where the upload stands (the database says; files only hold bytes).
  std::optional<ChunkOutcome> refused;
  bool discardPart = false;
  transact([&](pqxx::work& w) {
    refused.reset();
    discardPart = false;
    // Whether this kiosk holds the blob, and its partial upload (locked), in one round trip.
    const auto state = w.exec_params(
        "SELECT EXISTS (SELECT 1 FROM kiosk_blobs WHERE kiosk_id = $1 AND sha256 = $2), "
        "u.received, u.total_size FROM (SELECT 1) AS one LEFT JOIN (SELECT received, total_size "
        "FROM uploads WHERE kiosk_id = $1 AND sha256 = $2 FOR UPDATE) AS u ON true",
        kiosk.kioskId, sha256);
    if (state[0][0].as<bool>()) {
      refused = ChunkOutcome{ChunkResult::kAlreadyPresent, totalSize, {}};
      return;
    }
    std::uint64_t received = 0;
    if (!state[0][1].is_null()) {
      received = state[0][1].as<std::uint64_t>();
      // This kiosk declared a different size for the same hash: its earlier partial is junk.
      if (state[0][2].as<std::uint64_t>() != totalSize) {
        w.exec_params("DELETE FROM uploads WHERE kiosk_id = $1 AND sha256 = $2", kiosk.kioskId,
                      sha256);
        discardPart = true;
        received = 0;
      }
    }
    if (offset != received) {
      refused = ChunkOutcome{ChunkResult::kWrongOffset, received, {}};
    } else if (offset + bytes.size() > totalSize) {
      refused = ChunkOutcome{ChunkResult::kTooLarge, received, {}};
    } else if (received == 0 && bytes.size() < totalSize &&
               w.exec_params("SELECT COUNT(*) FROM uploads WHERE kiosk_id = $1",
                             kiosk.kioskId)[0][0]
                       .as<int>() >= quota.maxUnfinishedUploads) {
      refused = ChunkOutcome{ChunkResult::kQuotaExceeded, 0, {}};
    }
  });
  if (discardPart) m_blobs->discardPart(part);
  if (refused) return *refused;

  // 2. A piece of a larger upload: bytes to the part file first, then the database counts
  // them (after a crash between the two the database's count wins and the piece is sent again).
  m_blobs->writePart(part, offset, bytes);
  const std::uint64_t received = offset + bytes.size();
  transact([&](pqxx::work& w) {
    w.exec_params(
        "INSERT INTO uploads(kiosk_id, sha256, total_size, received, received_unix) "
        "VALUES($1, $2, $3, $4, $5) ON CONFLICT(kiosk_id, sha256) DO UPDATE SET "
        "received = excluded.received, received_unix = excluded.received_unix",
        kiosk.kioskId, sha256, static_cast<std::int64_t>(totalSize),
        static_cast<std::int64_t>(received), nowUnixSeconds());
  });
  if (received < totalSize) return {ChunkResult::kAccepted, received, {}};
  // Last piece: verify the whole file and move it into place, then record it (the upload's
  // row goes in the same transaction).
  const std::string actual = m_blobs->completePart(part, totalSize, sha256);
  if (actual != sha256) {
    autocommit("DELETE FROM uploads WHERE kiosk_id = $1 AND sha256 = $2", kiosk.kioskId, sha256);
    return {ChunkResult::kHashMismatch, 0, actual};  // start over at 0
  }
  if (!recordCompletedUpload(kiosk, sha256, totalSize)) return {ChunkResult::kWrongOffset, 0, {}};
  return {ChunkResult::kCompleted, totalSize, {}};
}

ChunkOutcome PostgresServerStorage::putWholeBlob(const KioskIdentity& kiosk,
                                                 const std::string& sha256,
                                                 const std::string& bytes) {
  // A photo is smaller than a chunk, so nearly every upload arrives whole: one round trip to
  // the database. The file is written first (a row never names bytes not yet on disk); it is
  // already there when the kiosk held the blob, and `put` then does nothing.
  const std::string actual = protocol::sha256Hex(bytes);
  if (actual != sha256) return {ChunkResult::kHashMismatch, 0, actual};
  m_blobs->put(sha256, bytes);
  const auto r =
      autocommitPrepared("put_whole_blob", lockKey('b', sha256), kiosk.kioskId, sha256,
                         static_cast<std::int64_t>(bytes.size()), protocol::nowIso8601Utc());
  const std::string outcome = text(r[0][0]);
  if (outcome == "present") return {ChunkResult::kAlreadyPresent, bytes.size(), {}};
  // The kiosk is sending the same bytes in pieces elsewhere (a kiosk sends a blob whole or in
  // pieces by its size, so only a changed chunk size does this): the file written above stays
  // unnamed until that upload completes into it; if it never does, the startup check lists it
  // as an orphan for `blobs check --remove-orphans`.
  if (outcome == "wrong_offset")
    return {ChunkResult::kWrongOffset, r[0][1].as<std::uint64_t>(), {}};
  if (outcome == "stored_discarded") m_blobs->discardPart(uploadName(kiosk, sha256));
  // An erasure of other records naming the same bytes may have removed the file between its
  // writing and the row (removeBlobFiles removes a file no row names, under the blob's lock).
  // Now that the row is committed no erasure removes it, so it is written again if gone. Until
  // then no record names the blob: its kiosk sends the record after this answer.
  if (!m_blobs->contains(sha256)) m_blobs->put(sha256, bytes);
  return {ChunkResult::kCompleted, bytes.size(), {}};
}

bool PostgresServerStorage::recordCompletedUpload(const KioskIdentity& kiosk,
                                                  const std::string& sha256, std::uint64_t size) {
  bool recorded = false;
  transact([&](pqxx::work& w) {
    recorded = false;
    // The blob's lock orders this against an erasure removing the same bytes (removeBlobFiles):
    // if the file went after it landed and before this row named it, the kiosk starts over.
    // Committed without waiting for the WAL flush, as smp_put_whole_blob's rows are.
    w.exec_params("SELECT pg_advisory_xact_lock($1), set_config('synchronous_commit', 'off', true)",
                  lockKey('b', sha256));
    // The upload's count of bytes received is finished with.
    w.exec_params("DELETE FROM uploads WHERE kiosk_id = $1 AND sha256 = $2", kiosk.kioskId, sha256);
    if (!m_blobs->contains(sha256)) return;  // the count's row goes; the kiosk starts over at 0
    // Another kiosk may have sent the same bytes: they are stored once, owned by both. (Both
    // rows in one statement: one round trip.)
    w.exec_params(
        "WITH b AS (INSERT INTO blobs(sha256, size, received_at) VALUES($2,$3,$4) "
        "ON CONFLICT DO NOTHING) "
        "INSERT INTO kiosk_blobs(kiosk_id, sha256) VALUES($1,$2) ON CONFLICT DO NOTHING",
        kiosk.kioskId, sha256, static_cast<std::int64_t>(size), protocol::nowIso8601Utc());
    recorded = true;
  });
  return recorded;
}

void PostgresServerStorage::removeBlobFiles(const std::vector<std::string>& sha256s) {
  if (sha256s.empty()) return;
  auto c = m_pool.borrow();
  try {
    pqxx::nontransaction n(*c);
    for (const auto& sha : sha256s) {
      const auto key = lockKey('b', sha);
      n.exec_params("SELECT pg_advisory_lock($1)", key);
      if (n.exec_params("SELECT 1 FROM blobs WHERE sha256 = $1", sha).empty()) m_blobs->remove(sha);
      n.exec_params("SELECT pg_advisory_unlock($1)", key);
    }
  } catch (...) {
    c->disconnect();  // never hand on a connection that may still hold a blob's lock
    throw;
  }
}

int PostgresServerStorage::expireUploads(std::int64_t cutoffUnixSeconds) {
  std::vector<std::string> parts, blobs;
  transact([&](pqxx::work& w) {
    parts.clear();
    blobs.clear();
    // An upload not added to since the cutoff goes whole.
    for (const auto& row :
         w.exec_params("DELETE FROM uploads WHERE received_unix < $1 RETURNING kiosk_id, sha256",
                       cutoffUnixSeconds)) {
      parts.push_back(uploadName({text(row[0]), ""}, text(row[1])));
    }
    // A finished blob that no consultation names since the cutoff: its record never came.
    const std::string cutoffIso = protocol::iso8601Utc(
        std::chrono::system_clock::from_time_t(static_cast<std::time_t>(cutoffUnixSeconds)));
    for (const auto& row : w.exec_params(
             "DELETE FROM blobs b WHERE b.received_at < $1 AND NOT EXISTS "
             "(SELECT 1 FROM consultation_blobs cb WHERE cb.sha256 = b.sha256) RETURNING sha256",
             cutoffIso)) {
      blobs.push_back(text(row[0]));
    }
    for (const auto& sha : blobs) w.exec_params("DELETE FROM kiosk_blobs WHERE sha256 = $1", sha);
  });
  for (const auto& part : parts) m_blobs->discardPart(part);
  removeBlobFiles(blobs);
  return static_cast<int>(parts.size() + blobs.size());
}

bool PostgresServerStorage::hasBlob(const std::string& sha256) {
  return !autocommit("SELECT 1 FROM blobs WHERE sha256 = $1", sha256).empty();
}

std::optional<std::string> PostgresServerStorage::blob(const std::string& sha256) {
  if (!hasBlob(sha256)) return std::nullopt;
  return m_blobs->read(sha256);
}

std::int64_t PostgresServerStorage::removeOrphanBlobs() {
  // The check's comparison, every orphan listed; each file is checked again under its lock.
  const BlobCheck check = checkBlobs(std::numeric_limits<int>::max());
  removeBlobFiles(check.orphans);
  return check.orphanCount;
}

BlobCheck PostgresServerStorage::checkBlobs(int maxListed) {
  std::vector<std::string> named;
  transact([&](pqxx::work& w) {
    named.clear();
    for (const auto& row : w.exec("SELECT sha256 FROM blobs ORDER BY sha256"))
      named.push_back(text(row[0]));
  });
  return storage::compareBlobs(*m_blobs, named, maxListed);
}

PutResult PostgresServerStorage::putConsultation(const KioskIdentity& kiosk, const std::string& id,
                                                 std::int64_t kioskSeq, int revision,
                                                 const std::string& sha256,
                                                 const std::string& recordJson,
                                                 const std::vector<std::string>& blobHashes,
                                                 std::string& receivedAt) {
  const ListingFields fields = listingFieldsOf(recordJson);
  const std::string blobs = hashArray(blobHashes);
  pqxx::result r;
  try {
    r = autocommitPrepared("put_consultation", lockKey('c', id), kiosk.kioskId, kiosk.clinic, id,
                           kioskSeq, revision, sha256, recordJson, protocol::nowIso8601Utc(),
                           fields.createdAt, fields.createdWeek, fields.clientName, fields.concern,
                           fields.phone, fields.email, fields.lossStage, fields.healthFlagCount,
                           blobs);
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == "SMP01") return PutResult::kConflict;  // undone as a whole
    throw;
  }
  const std::string outcome = text(r[0][0]);
  if (outcome == "missing") return PutResult::kBlobsMissing;
  if (outcome == "erased") return PutResult::kErased;
  if (outcome == "conflict") return PutResult::kConflict;
  receivedAt = text(r[0][1]);
  return outcome == "stored" ? PutResult::kStored : PutResult::kDuplicate;
}

std::vector<std::string> PostgresServerStorage::deleteConsultation(pqxx::work& w,
                                                                   const std::string& kioskId,
                                                                   const std::string& id,
                                                                   const std::string& erasedAt) {
  w.exec_params("DELETE FROM consultations WHERE id = $1", id);
  w.exec_params("DELETE FROM consultation_revisions WHERE id = $1", id);
  // The kiosk's claim on the photos and previews goes, unless its other consultations still
  // name the same bytes.
  w.exec_params(
      "DELETE FROM kiosk_blobs WHERE kiosk_id = $2 AND sha256 IN "
      "(SELECT sha256 FROM consultation_blobs WHERE id = $1) AND sha256 NOT IN "
      "(SELECT cb.sha256 FROM consultation_blobs cb JOIN consultations c "
      "ON c.id = cb.id WHERE cb.id <> $1 AND c.kiosk_id = $2)",
      id, kioskId);
  // The bytes go when nothing else names them: no other consultation, and no kiosk that has
  // uploaded them for a record still to come.
  std::vector<std::string> unnamed;
  for (const auto& row : w.exec_params(
           "DELETE FROM blobs b WHERE b.sha256 IN (SELECT sha256 FROM consultation_blobs WHERE "
           "id = $1) AND NOT EXISTS (SELECT 1 FROM consultation_blobs o WHERE o.sha256 = "
           "b.sha256 AND o.id <> $1) AND NOT EXISTS (SELECT 1 FROM kiosk_blobs kb WHERE "
           "kb.sha256 = b.sha256) RETURNING b.sha256",
           id)) {
    unnamed.push_back(text(row[0]));
  }
  w.exec_params("DELETE FROM consultation_blobs WHERE id = $1", id);
  // Head office's notes about the client go with the record.
  w.exec_params("DELETE FROM follow_up_events WHERE consultation_id = $1", id);
  w.exec_params("INSERT INTO tombstones(id, kiosk_id, erased_at) VALUES($1,$2,$3)", id, kioskId,
                erasedAt);
  return unnamed;
}

bool PostgresServerStorage::eraseConsultation(const KioskIdentity& kiosk, const std::string& id,
                                              std::string& erasedAt) {
  bool allowed = true;
  std::vector<std::string> unnamed;
  transact([&](pqxx::work& w) {
    allowed = true;
    unnamed.clear();
    w.exec_params("SELECT pg_advisory_xact_lock($1)", lockKey('c', id));
    const auto owner = w.exec_params("SELECT kiosk_id FROM consultations WHERE id = $1", id);
    if (!owner.empty() && text(owner[0][0]) != kiosk.kioskId) {
      allowed = false;
      return;
    }
    const auto tomb = w.exec_params("SELECT erased_at, kiosk_id FROM tombstones WHERE id = $1", id);
    if (!tomb.empty()) {
      erasedAt = text(tomb[0][0]);
      allowed = text(tomb[0][1]) == kiosk.kioskId;
      return;
    }
    erasedAt = protocol::nowIso8601Utc();
    // Never received: nothing to erase and nothing to remember. A tombstone here would let a
    // kiosk block an id that another kiosk is about to send.
    if (w.exec_params("SELECT 1 FROM consultation_revisions WHERE id = $1", id).empty()) return;
    unnamed = deleteConsultation(w, kiosk.kioskId, id, erasedAt);
  });
  removeBlobFiles(unnamed);
  return allowed;
}

void PostgresServerStorage::forEachConsultation(
    const std::function<void(const StoredConsultation&)>& fn) {
  // A cursor over one snapshot, a page at a time: an export of a million records never holds
  // them all in memory.
  auto c = m_pool.borrow();
  pqxx::work w(*c);
  pqxx::stateless_cursor<pqxx::cursor_base::read_only, pqxx::cursor_base::owned> cursor(
      w,
      "SELECT c.id, c.kiosk_id, k.clinic, c.kiosk_seq, c.revision, c.sha256, c.received_at, "
      "c.record_json, c.follow_up FROM consultations c JOIN kiosks k ON k.kiosk_id = c.kiosk_id "
      "ORDER BY c.kiosk_id, c.kiosk_seq",
      "export_cursor", false);
  constexpr pqxx::cursor_base::size_type kPage = 500;
  for (pqxx::cursor_base::size_type at = 0;; at += kPage) {
    const auto rows = cursor.retrieve(at, at + kPage);
    for (const auto& row : rows) {
      StoredConsultation s = consultationColumns(row);
      s.record = storedJson(text(row[7]));
      fn(s);
    }
    if (rows.size() < static_cast<pqxx::result::size_type>(kPage)) break;
  }
  w.commit();
}

bool PostgresServerStorage::isErased(const std::string& id) {
  return !autocommit("SELECT 1 FROM tombstones WHERE id = $1", id).empty();
}

std::optional<std::string> PostgresServerStorage::eraseAtHeadOffice(const std::string& id,
                                                                    std::string& erasedAt) {
  std::optional<std::string> kioskId;
  std::vector<std::string> unnamed;
  transact([&](pqxx::work& w) {
    kioskId.reset();
    unnamed.clear();
    w.exec_params("SELECT pg_advisory_xact_lock($1)", lockKey('c', id));
    const auto owner = w.exec_params("SELECT kiosk_id FROM consultations WHERE id = $1", id);
    if (owner.empty()) return;
    kioskId = text(owner[0][0]);
    // The kiosk's orders commit in sequence order (see addFollowUp): a kiosk that has carried
    // out order N never misses one that commits later with a smaller number.
    w.exec_params("SELECT pg_advisory_xact_lock($1)", lockKey('k', *kioskId));
    erasedAt = protocol::nowIso8601Utc();
    unnamed = deleteConsultation(w, *kioskId, id, erasedAt);
    w.exec_params(
        "INSERT INTO kiosk_erasure_orders(kiosk_id, consultation_id, erased_at) "
        "VALUES($1,$2,$3)",
        *kioskId, id, erasedAt);
  });
  removeBlobFiles(unnamed);
  return kioskId;
}

std::vector<protocol::FollowUp> PostgresServerStorage::followUpsFor(const KioskIdentity& kiosk,
                                                                    std::int64_t afterSeq,
                                                                    int limit) {
  std::vector<protocol::FollowUp> out;
  for (const auto& row :
       autocommit("SELECT seq, consultation_id, status, note, author, at FROM follow_up_events "
                  "WHERE kiosk_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                  kiosk.kioskId, afterSeq, limit)) {
    out.push_back({row[0].as<std::int64_t>(), text(row[1]), text(row[2]), text(row[3]),
                   text(row[4]), text(row[5])});
  }
  return out;
}

std::vector<ServerStorage::ErasureOrder> PostgresServerStorage::erasureOrders(
    const KioskIdentity& kiosk, std::int64_t afterSeq, int limit) {
  std::vector<ErasureOrder> out;
  transact([&](pqxx::work& w) {
    out.clear();
    for (const auto& row :
         w.exec_params("SELECT seq, consultation_id, erased_at FROM kiosk_erasure_orders "
                       "WHERE kiosk_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                       kiosk.kioskId, afterSeq, limit)) {
      out.push_back({row[0].as<std::int64_t>(), text(row[1]), text(row[2])});
    }
  });
  return out;
}

void PostgresServerStorage::setConfig(const nlohmann::json& config) {
  const std::string json = config.dump();
  transact([&](pqxx::work& w) {
    w.exec_params(
        "INSERT INTO config(id, json, etag) VALUES(1, $1, $2) "
        "ON CONFLICT(id) DO UPDATE SET json = excluded.json, etag = excluded.etag",
        json, etagOf(json));
  });
  keepConsentTextsOf(config);
}

void PostgresServerStorage::keepConsentText(const std::string& language, const std::string& version,
                                            const std::string& text) {
  autocommit(
      "INSERT INTO consent_texts(sha256, language, version, text, first_published_at) "
      "VALUES($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING",
      protocol::consentTextSha256(version, text), language, version, text,
      protocol::nowIso8601Utc());
}

std::vector<ConsentTextVersion> PostgresServerStorage::consentTexts() {
  std::vector<ConsentTextVersion> out;
  for (const auto& row :
       autocommit("SELECT sha256, language, version, first_published_at FROM consent_texts "
                  "ORDER BY language, first_published_at, version")) {
    out.push_back({text(row[0]), text(row[1]), text(row[2]), "", text(row[3])});
  }
  return out;
}

std::optional<ConsentTextVersion> PostgresServerStorage::consentText(const std::string& sha256) {
  const auto r = autocommit(
      "SELECT sha256, language, version, text, first_published_at FROM consent_texts "
      "WHERE sha256 = $1",
      sha256);
  if (r.empty()) return std::nullopt;
  return ConsentTextVersion{text(r[0][0]), text(r[0][1]), text(r[0][2]), text(r[0][3]),
                            text(r[0][4])};
}

std::pair<nlohmann::json, std::string> PostgresServerStorage::config() {
  const auto r = autocommit("SELECT json, etag FROM config WHERE id = 1");
  const std::string json = r.empty() ? std::string() : text(r[0][0]);
  const std::string etag = r.empty() ? std::string() : text(r[0][1]);
  if (json.empty()) return {nlohmann::json::object(), etagOf("{}")};
  auto config = storedJson(json);
  if (config.is_discarded())
    throw std::runtime_error("the stored config is unreadable: publish it again");
  return {config, etag};
}

void PostgresServerStorage::recordHeartbeat(const KioskIdentity& kiosk,
                                            const nlohmann::json& heartbeat) {
  autocommit("UPDATE kiosks SET last_seen_at = $1, last_heartbeat = $2 WHERE kiosk_id = $3",
             protocol::nowIso8601Utc(), heartbeat.dump(), kiosk.kioskId);
}

KeyEscrowResult PostgresServerStorage::escrowStoreKey(const KioskIdentity& kiosk,
                                                      const std::string& publicHex,
                                                      const std::string& secretHex) {
  KeyEscrowResult result = KeyEscrowResult::kHeld;
  transact([&](pqxx::work& w) {
    // Insert first: of two requests at once, one stores and the other compares.
    w.exec_params(
        "INSERT INTO kiosk_store_keys(kiosk_id, public_key, secret_key, escrowed_at) "
        "VALUES($1,$2,$3,$4) ON CONFLICT DO NOTHING",
        kiosk.kioskId, publicHex, secretHex, protocol::nowIso8601Utc());
    const auto held =
        w.exec_params("SELECT public_key FROM kiosk_store_keys WHERE kiosk_id = $1", kiosk.kioskId);
    result = !held.empty() && text(held[0][0]) == publicHex ? KeyEscrowResult::kHeld
                                                            : KeyEscrowResult::kConflict;
  });
  return result;
}

std::optional<std::string> PostgresServerStorage::escrowedStoreKey(const KioskIdentity& kiosk) {
  std::optional<std::string> secret;
  transact([&](pqxx::work& w) {
    const auto r =
        w.exec_params("SELECT secret_key FROM kiosk_store_keys WHERE kiosk_id = $1", kiosk.kioskId);
    secret.reset();
    if (!r.empty()) secret = text(r[0][0]);
  });
  return secret;
}

}  // namespace smp::server
