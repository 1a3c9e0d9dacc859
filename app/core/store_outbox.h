// Adapts the kiosk store to the sync client's Outbox interface (core is the layer that knows both).
#pragma once

#include <filesystem>

#include "app/store/kiosk_store.h"
#include "sync/client/outbox.h"

namespace smp::core {

class StoreOutbox : public sync::Outbox {
 public:
  explicit StoreOutbox(const std::filesystem::path& databasePath) : m_store(databasePath) {}
  std::vector<sync::PendingItem> pending() override;
  std::optional<protocol::ConsultationRecord> loadRecord(const std::string& id) override;
  std::optional<std::vector<std::uint8_t>> loadBlob(const std::string& sha256) override;
  void markSendAttempt(const sync::PendingItem& item) override;
  void markSynced(const sync::PendingItem& item, const protocol::Ack& ack) override;
  void markFailed(const sync::PendingItem& item, const std::string& reason) override;
  void recordPassResult(const std::string& summary) override;

 private:
  store::KioskStore m_store;  // its own connection: the sync thread never shares the UI's
};

}  // namespace smp::core
