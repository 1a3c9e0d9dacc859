// What the sync client reads and writes on the kiosk; the kiosk store provides it through an
// adapter in app/core, so this library never depends on the store.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sync/protocol/consultation.h"
#include "sync/protocol/follow_up.h"
#include "sync/protocol/messages.h"

namespace smp::sync {

enum class ItemKind { kRecord, kTombstone };

struct PendingItem {
  std::string consultationId;
  int revision = 0;
  ItemKind kind = ItemKind::kRecord;
};

// The kiosk's store key pair in lowercase hex, for head office to hold (docs/security.md).
struct StoreKeyToEscrow {
  std::string publicKeyHex;
  std::string secretKeyHex;
};

class Outbox {
 public:
  virtual ~Outbox() = default;
  // Oldest first; quarantined items are not listed.
  virtual std::vector<PendingItem> pending() = 0;
  virtual std::optional<protocol::ConsultationRecord> loadRecord(const std::string& id) = 0;
  virtual std::optional<std::vector<std::uint8_t>> loadBlob(const std::string& sha256) = 0;
  virtual void markSendAttempt(const PendingItem& item) = 0;
  virtual void markSynced(const PendingItem& item, const std::string& receivedAt) = 0;
  // The same for several items, which the pass sends together: a store can write them in one
  // transaction (one flush to disk). By default, one by one.
  virtual void markSendAttempts(const std::vector<PendingItem>& items) {
    for (const auto& item : items) markSendAttempt(item);
  }
  struct Acknowledged {
    PendingItem item;
    std::string receivedAt;
  };
  virtual void markSyncedAll(const std::vector<Acknowledged>& acks) {
    for (const auto& ack : acks) markSynced(ack.item, ack.receivedAt);
  }
  // Network trouble or 5xx: try again later, the record is fine.
  virtual void markFailed(const PendingItem& item, const std::string& reason) = 0;
  // The server refused this item (4xx). Returns true once it is quarantined.
  virtual bool markRefused(const PendingItem& item, const std::string& reason) = 0;
  virtual void recordPassResult(const std::string& summary) = 0;

  // Sealing at rest. While the store key's secret half is still on the kiosk's disk the pass
  // hands it to head office first (then keyEscrowed() removes it from the disk); while it is
  // not in memory (after a restart) the pass fetches it before it reads any record.
  virtual std::optional<StoreKeyToEscrow> keyToEscrow() = 0;
  virtual void keyEscrowed() = 0;
  virtual bool sealed() = 0;
  // False when the key does not open this kiosk's records (nothing changes then).
  virtual bool unseal(const std::string& secretKeyHex) = 0;

  // Erasures decided at head office: the last order carried out, and carrying out the next
  // one (the local copy goes, nothing is sent back; an id not held here just moves the cursor).
  virtual std::int64_t erasureCursor() = 0;
  virtual void applyErasure(const std::string& consultationId, std::int64_t seq) = 0;

  // Head office's follow-up of this kiosk's consultations: the last change kept, and keeping a
  // batch with the cursor after it (together: a crash between them asks for the batch again).
  virtual std::int64_t followUpCursor() = 0;
  virtual void keepFollowUps(const std::vector<protocol::FollowUp>& changes,
                             std::int64_t cursor) = 0;

  virtual protocol::Heartbeat heartbeat() = 0;
  virtual std::string configEtag() = 0;
  virtual void storeConfig(const nlohmann::json& config, const std::string& etag) = 0;
};

}  // namespace smp::sync
