// Sealing with libsodium's sealed boxes (X25519 + XSalsa20-Poly1305).
#include "app/store/store_keys.h"

#include <sodium.h>

#include <stdexcept>

namespace smp::store {
namespace {

void requireSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

const std::size_t StoreKeys::kSealOverhead = crypto_box_SEALBYTES;

StoreKeyPair makeStoreKeyPair() {
  requireSodium();
  static_assert(crypto_box_PUBLICKEYBYTES == kStoreKeyBytes);
  static_assert(crypto_box_SECRETKEYBYTES == kStoreKeyBytes);
  StoreKeyPair pair;
  crypto_box_keypair(pair.publicKey.data(), pair.secretKey.data());
  return pair;
}

std::string keyToHex(const StoreKey& key) {
  std::string hex(key.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), key.data(), key.size());
  hex.pop_back();
  return hex;
}

std::optional<StoreKey> keyFromHex(const std::string& hex) {
  if (hex.size() != kStoreKeyBytes * 2) return std::nullopt;
  StoreKey key{};
  std::size_t len = 0;
  if (sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != key.size()) {
    return std::nullopt;
  }
  return key;
}

StoreKeys::~StoreKeys() {
  if (m_secret) sodium_memzero(m_secret->data(), m_secret->size());
}

bool StoreKeys::adoptPublicKey(const StoreKey& publicKey) {
  std::lock_guard lock(m_mutex);
  if (m_public) return *m_public == publicKey;
  m_public = publicKey;
  return true;
}

std::optional<StoreKey> StoreKeys::publicKey() const {
  std::lock_guard lock(m_mutex);
  return m_public;
}

bool StoreKeys::unlock(const StoreKey& secretKey) {
  requireSodium();
  StoreKey derived{};
  crypto_scalarmult_base(derived.data(), secretKey.data());
  std::lock_guard lock(m_mutex);
  if (!m_public || sodium_memcmp(derived.data(), m_public->data(), derived.size()) != 0) {
    return false;
  }
  m_secret = secretKey;
  return true;
}

bool StoreKeys::unlocked() const {
  std::lock_guard lock(m_mutex);
  return m_secret.has_value();
}

std::optional<StoreKey> StoreKeys::secretKey() const {
  std::lock_guard lock(m_mutex);
  return m_secret;
}

std::vector<std::uint8_t> StoreKeys::seal(const std::uint8_t* data, std::size_t size) const {
  requireSodium();
  const auto pub = publicKey();
  if (!pub) throw std::logic_error("the store has no public key to seal with");
  std::vector<std::uint8_t> out(size + crypto_box_SEALBYTES);
  crypto_box_seal(out.data(), data, size, pub->data());
  return out;
}

std::optional<std::vector<std::uint8_t>> StoreKeys::open(const std::uint8_t* data,
                                                         std::size_t size) const {
  requireSodium();
  std::optional<StoreKey> pub, secret;
  {
    std::lock_guard lock(m_mutex);
    pub = m_public;
    secret = m_secret;
  }
  if (!pub || !secret) return std::nullopt;
  if (size < crypto_box_SEALBYTES) throw std::runtime_error("sealed value is too short");
  std::vector<std::uint8_t> out(size - crypto_box_SEALBYTES);
  const int rc = crypto_box_seal_open(out.data(), data, size, pub->data(), secret->data());
  sodium_memzero(secret->data(), secret->size());
  if (rc != 0) throw std::runtime_error("sealed value does not open with this store's key");
  return out;
}

}  // namespace smp::store
