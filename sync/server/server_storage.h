// What the head-office server needs from its storage: kiosks, content-addressed blobs and
// consultations. SQLite implements it now; PostgreSQL can follow behind the same interface.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace smp::server {

struct KioskIdentity {
  std::string kioskId;
  std::string clinic;
};

struct NewKiosk {
  std::string kioskId;
  std::string token;  // shown once; only its hash is stored
};

enum class PutResult { kStored, kDuplicate, kConflict };

struct StoredConsultation {
  std::string id;
  std::string kioskId;
  std::string clinic;
  std::int64_t kioskSeq = 0;
  int revision = 0;
  std::string sha256;
  std::string receivedAt;
  nlohmann::json record;
};

class ServerStorage {
 public:
  virtual ~ServerStorage() = default;
  virtual NewKiosk addKiosk(const std::string& clinic) = 0;
  virtual std::optional<KioskIdentity> kioskForToken(const std::string& token) = 0;
  virtual bool hasBlob(const std::string& sha256) = 0;
  // The caller has verified the hash; storing an existing blob again is a no-op.
  virtual void putBlob(const std::string& sha256, const std::string& bytes) = 0;
  // Atomic: concurrent identical requests give exactly one row (unique constraint on id).
  virtual PutResult putConsultation(const KioskIdentity& kiosk, const std::string& id,
                                    std::int64_t kioskSeq, int revision, const std::string& sha256,
                                    const std::string& recordJson, std::string& receivedAt) = 0;
  virtual void forEachConsultation(const std::function<void(const StoredConsultation&)>& fn) = 0;
};

}  // namespace smp::server
