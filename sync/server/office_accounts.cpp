#include "sync/server/office_accounts.h"

#include <sodium.h>

#include <chrono>
#include <stdexcept>

#include "sync/protocol/consultation.h"
#include "sync/protocol/sha256.h"

namespace smp::server {
namespace {

void requireSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string hashPassword(const std::string& password) {
  requireSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

bool passwordMatches(const std::string& hash, const std::string& password) {
  requireSodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

// Checked against when the account does not exist, so a wrong name takes as long as a wrong
// password and the timing does not tell which names exist.
const std::string& decoyHash() {
  static const std::string hash = hashPassword(protocol::randomHex(16));
  return hash;
}

bool validName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '@' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

OfficeAccounts::OfficeAccounts(OfficeStorage& storage, Clock now)
    : m_storage(storage), m_now(now ? std::move(now) : [] {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
      }) {}

OfficeUser OfficeAccounts::addUser(const std::string& name, OfficeRole role,
                                   const std::vector<std::string>& clinics,
                                   const std::string& password) {
  if (!validName(name)) {
    throw std::invalid_argument(
        "a user name is 1-64 letters, digits, '.', '_', '@' or '-' (no spaces)");
  }
  if (password.size() < 12 || password.size() > 256) {
    throw std::invalid_argument("a password must be 12 to 256 characters");
  }
  if (role == OfficeRole::kClinicManager && clinics.empty()) {
    throw std::invalid_argument("a clinic manager needs at least one clinic");
  }
  for (const std::string& c : clinics) {
    if (c.empty() || c.size() > 200) throw std::invalid_argument("a clinic is 1-200 characters");
  }
  OfficeUser u;
  u.name = name;
  u.role = role;
  u.clinics = role == OfficeRole::kClinicManager ? clinics : std::vector<std::string>{};
  u.passwordHash = hashPassword(password);
  return m_storage.addUser(u);
}

std::variant<SignedIn, SignInRefused> OfficeAccounts::signIn(const std::string& name,
                                                             const std::string& password,
                                                             const std::string& address) {
  const std::int64_t now = m_now();
  const std::string accountKey = "account:" + name.substr(0, 64);
  const std::string addressKey = "address:" + address;
  const std::int64_t since = now - kSignInWindowSeconds;
  if (m_storage.signInFailuresSince(accountKey, since) >= kMaxFailuresPerAccount ||
      m_storage.signInFailuresSince(addressKey, since) >= kMaxFailuresPerAddress) {
    return SignInRefused{"too many failed sign-ins: wait 15 minutes, or ask an admin",
                         static_cast<int>(kSignInWindowSeconds)};
  }
  const auto user = validName(name) ? m_storage.userByName(name) : std::nullopt;
  const bool matches = passwordMatches(user ? user->passwordHash : decoyHash(), password);
  if (!user || !matches || user->disabled || password.size() > 256) {
    m_storage.recordSignInFailure(accountKey, now);
    m_storage.recordSignInFailure(addressKey, now);
    return SignInRefused{"that name and password do not match an enabled account", 0};
  }
  m_storage.clearSignInFailures(accountKey);
  SignedIn in{*user, protocol::randomHex(32), protocol::randomHex(32)};
  m_storage.createSession({protocol::sha256Hex(in.cookieValue), user->id, in.csrfToken, now, now});
  return in;
}

std::optional<CurrentSession> OfficeAccounts::sessionFor(const std::string& cookieValue) {
  if (cookieValue.size() != 64) return std::nullopt;
  const std::string idHash = protocol::sha256Hex(cookieValue);
  auto session = m_storage.session(idHash);
  if (!session) return std::nullopt;
  const std::int64_t now = m_now();
  if (now - session->lastSeenUnix > kSessionIdleSeconds ||
      now - session->createdUnix > kSessionMaxSeconds) {
    m_storage.deleteSession(idHash);
    return std::nullopt;
  }
  auto user = m_storage.userById(session->userId);
  if (!user || user->disabled) {
    m_storage.deleteSession(idHash);
    return std::nullopt;
  }
  if (now - session->lastSeenUnix >= 60) {  // one write a minute, not one per request
    m_storage.touchSession(idHash, now);
    session->lastSeenUnix = now;
  }
  return CurrentSession{std::move(*user), std::move(*session)};
}

void OfficeAccounts::signOut(const std::string& cookieValue) {
  if (cookieValue.size() == 64) m_storage.deleteSession(protocol::sha256Hex(cookieValue));
}

std::optional<OfficeAccounts::PasswordChangeRefused> OfficeAccounts::changePassword(
    const CurrentSession& session, const std::string& current, const std::string& next) {
  const std::int64_t now = m_now();
  const std::string accountKey = "account:" + session.user.name;
  if (m_storage.signInFailuresSince(accountKey, now - kSignInWindowSeconds) >=
      kMaxFailuresPerAccount) {
    return PasswordChangeRefused{429, "too many wrong passwords: wait 15 minutes, or ask an admin"};
  }
  if (current.size() > 256 || !passwordMatches(session.user.passwordHash, current)) {
    m_storage.recordSignInFailure(accountKey, now);
    return PasswordChangeRefused{403, "your current password is not right"};
  }
  if (next.size() < 12 || next.size() > 256) {
    return PasswordChangeRefused{400, "a password must be 12 to 256 characters"};
  }
  if (next == current) {
    return PasswordChangeRefused{400, "the new password is the same as the current one"};
  }
  m_storage.clearSignInFailures(accountKey);
  m_storage.setPasswordHash(session.user.id, hashPassword(next), session.session.idSha256);
  return std::nullopt;
}

ClinicScope OfficeAccounts::scopeOf(const OfficeUser& user) {
  if (user.role == OfficeRole::kClinicManager) return {false, user.clinics};
  return {true, {}};
}

}  // namespace smp::server
