// The small, valid consultations the sync, store and core tests send and save: one photo whose
// bytes are the given text, the same consent hash and dates everywhere.
#pragma once

#include <string>

#include "app/store/kiosk_store.h"
#include "sync/protocol/consultation.h"
#include "sync/protocol/sha256.h"

namespace smp::test {

// A record as a kiosk sends it, naming one front photo whose bytes are `photo`.
inline protocol::ConsultationRecord recordNaming(const std::string& photo,
                                                 std::int64_t kioskSeq = 1,
                                                 const std::string& id = protocol::newUuid()) {
  protocol::ConsultationRecord r;
  r.id = id;
  r.kioskSeq = kioskSeq;
  r.createdAt = "2026-11-21T10:00:00Z";
  r.clientName = "Alex";
  r.concern = "scar";
  r.consentTextSha256 = protocol::sha256Hex("consent");
  r.consentedAt = r.createdAt;
  r.photos = {{"front", protocol::sha256Hex(photo), photo.size(), "image/jpeg"}};
  return r;
}

// What the kiosk's save path takes: client `name`, one front photo whose bytes are `photo`.
inline store::ConsultationToSave consultationToSave(const std::string& name,
                                                    const std::string& photo) {
  store::ConsultationToSave c;
  store::BlobData b;
  b.bytes.assign(photo.begin(), photo.end());
  b.ref = {"front", protocol::sha256Hex(b.bytes), b.bytes.size(), "image/jpeg"};
  c.blobs = {b};
  c.record.createdAt = "2026-11-21T10:00:00Z";
  c.record.clientName = name;
  c.record.concern = "scar";
  c.record.consentTextSha256 = protocol::sha256Hex("consent");
  c.record.consentedAt = c.record.createdAt;
  c.record.photos = {b.ref};
  return c;
}

}  // namespace smp::test
