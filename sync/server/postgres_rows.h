// Reading libpqxx rows the way both halves of PostgresServerStorage need them.
#pragma once

#include <cstdint>
#include <pqxx/pqxx>
#include <string>

#include "sync/server/server_storage.h"

namespace smp::server::postgres {

// A text column; NULL reads as "".
inline std::string text(const pqxx::field& f) {
  return f.is_null() ? std::string() : f.as<std::string>();
}

// id, kiosk_id, clinic, kiosk_seq, revision, sha256, received_at from columns 0-6 and follow_up
// from column 8; the caller reads the record itself from column 7 (a failed parse is handled
// differently by export and the tables).
inline StoredConsultation consultationColumns(const pqxx::row& row) {
  StoredConsultation c;
  c.id = text(row[0]);
  c.kioskId = text(row[1]);
  c.clinic = text(row[2]);
  c.kioskSeq = row[3].as<std::int64_t>();
  c.revision = row[4].as<int>();
  c.sha256 = text(row[5]);
  c.receivedAt = text(row[6]);
  c.followUp = text(row[8]);
  return c;
}

// A stable 63-bit key for an advisory lock on a string (FNV-1a), the same in every server
// process. Spaces: 'b' a blob, 'c' a consultation id, 'k' a kiosk's feeds (erasure orders and
// follow-ups, whose sequence numbers must commit in order).
inline std::int64_t lockKey(char space, const std::string& name) {
  std::uint64_t h = 14695981039346656037ull;
  const auto mix = [&](unsigned char c) {
    h ^= c;
    h *= 1099511628211ull;
  };
  mix(static_cast<unsigned char>(space));
  for (const char c : name) mix(static_cast<unsigned char>(c));
  return static_cast<std::int64_t>(h >> 1);
}

}  // namespace smp::server::postgres
