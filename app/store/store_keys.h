// The key pair that seals what the kiosk stores about clients (records, photos, signatures,
// previews). Saving needs only the public half, so a kiosk saves consultations with no secret
// in memory; reading needs the secret half, which after enrolment lives at head office and in
// this process's memory only (docs/security.md, "A stolen kiosk gives away nothing").
//
// One StoreKeys is shared by every connection to the same store in a process (the UI's and the
// sync worker's), so a key fetched by the sync worker unseals the staff screens too.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace smp::store {

inline constexpr std::size_t kStoreKeyBytes = 32;
using StoreKey = std::array<std::uint8_t, kStoreKeyBytes>;

// A new X25519 key pair for a store.
struct StoreKeyPair {
  StoreKey publicKey{};
  StoreKey secretKey{};
};
StoreKeyPair makeStoreKeyPair();

// Lowercase hex, as the keys are kept in settings and sent to head office.
std::string keyToHex(const StoreKey& key);
std::optional<StoreKey> keyFromHex(const std::string& hex);

class StoreKeys {
 public:
  StoreKeys() = default;
  ~StoreKeys();
  StoreKeys(const StoreKeys&) = delete;
  StoreKeys& operator=(const StoreKeys&) = delete;

  // The store's public key, read from its settings by the first connection. A second connection
  // to another store with a different key is a programming error (false).
  bool adoptPublicKey(const StoreKey& publicKey);
  std::optional<StoreKey> publicKey() const;

  // Takes the secret half if it belongs to the public key (false otherwise: a wrong or forged
  // key from "head office" never replaces anything).
  bool unlock(const StoreKey& secretKey);
  bool unlocked() const;
  std::optional<StoreKey> secretKey() const;

  // Sealed box (libsodium crypto_box_seal): an ephemeral key pair per value, so sealing needs no
  // secret and two seals of the same bytes differ. Adds kSealOverhead bytes.
  std::vector<std::uint8_t> seal(const std::uint8_t* data, std::size_t size) const;
  // nullopt when locked; throws std::runtime_error when the bytes were not sealed to this key
  // or were changed.
  std::optional<std::vector<std::uint8_t>> open(const std::uint8_t* data, std::size_t size) const;

  static const std::size_t kSealOverhead;

 private:
  mutable std::mutex m_mutex;
  std::optional<StoreKey> m_public;
  std::optional<StoreKey> m_secret;
};

}  // namespace smp::store
