// Adapts the kiosk store to the sync client's Outbox interface (core is the layer that knows both).
#pragma once

#include <filesystem>

#include "app/store/kiosk_store.h"
#include "sync/client/outbox.h"

namespace smp::core {

class StoreOutbox : public sync::Outbox {
 public:
  // `keys` is shared with the kiosk's other connections, so a key fetched here unseals them too.
  explicit StoreOutbox(const std::filesystem::path& databasePath,
                       std::shared_ptr<store::StoreKeys> keys = nullptr)
      : m_store(databasePath, std::move(keys)), m_dataDir(databasePath.parent_path()) {}
  std::vector<sync::PendingItem> pending() override;
  std::optional<protocol::ConsultationRecord> loadRecord(const std::string& id) override;
  std::optional<std::vector<std::uint8_t>> loadBlob(const std::string& sha256) override;
  void markSendAttempt(const sync::PendingItem& item) override;
  void markSynced(const sync::PendingItem& item, const std::string& receivedAt) override;
  void markSendAttempts(const std::vector<sync::PendingItem>& items) override;
  void markSyncedAll(const std::vector<Acknowledged>& acks) override;
  void markFailed(const sync::PendingItem& item, const std::string& reason) override;
  bool markRefused(const sync::PendingItem& item, const std::string& reason) override;
  void recordPassResult(const std::string& summary) override;
  protocol::Heartbeat heartbeat() override;
  std::string configEtag() override;
  void storeConfig(const nlohmann::json& config, const std::string& etag) override;
  std::optional<sync::StoreKeyToEscrow> keyToEscrow() override;
  void keyEscrowed() override;
  bool sealed() override;
  bool unseal(const std::string& secretKeyHex) override;
  std::int64_t erasureCursor() override;
  void applyErasure(const std::string& consultationId, std::int64_t seq) override;
  std::int64_t followUpCursor() override { return m_store.followUpCursor(); }
  void keepFollowUps(const std::vector<protocol::FollowUp>& changes, std::int64_t cursor) override {
    m_store.keepFollowUps(changes, cursor);
  }

 private:
  store::KioskStore m_store;  // its own connection: the sync thread never shares the UI's
  std::filesystem::path m_dataDir;
};

}  // namespace smp::core
