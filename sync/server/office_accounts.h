// Head-office accounts, sign-in and sessions: the rules (password length, throttling, expiry,
// clinic scope) over OfficeStorage. Passwords are Argon2id hashes (libsodium); a session is a
// random cookie value of which only the sha256 is stored, with its own CSRF token.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sync/server/office_storage.h"

namespace smp::server {

inline constexpr std::int64_t kSessionIdleSeconds = 30 * 60;
inline constexpr std::int64_t kSessionMaxSeconds = 12 * 3600;
inline constexpr std::int64_t kSignInWindowSeconds = 15 * 60;
inline constexpr int kMaxFailuresPerAccount = 5;   // in the window
inline constexpr int kMaxFailuresPerAddress = 30;  // in the window

struct SignedIn {
  OfficeUser user;
  std::string cookieValue;  // goes to the browser once; only its hash is stored
  std::string csrfToken;
};

struct SignInRefused {
  std::string message;        // for the sign-in page, never which of name or password was wrong
  int retryAfterSeconds = 0;  // > 0 when throttled
};

struct CurrentSession {
  OfficeUser user;
  OfficeSession session;
};

class OfficeAccounts {
 public:
  using Clock = std::function<std::int64_t()>;  // Unix seconds
  explicit OfficeAccounts(OfficeStorage& storage, Clock now = {});

  // Validates the name (1-64 of letters, digits, . _ @ -), the password (12-256 characters),
  // the role and its clinics (a clinic manager needs at least one); throws
  // std::invalid_argument with words a person can act on.
  OfficeUser addUser(const std::string& name, OfficeRole role,
                     const std::vector<std::string>& clinics, const std::string& password);

  std::variant<SignedIn, SignInRefused> signIn(const std::string& name, const std::string& password,
                                               const std::string& address);
  // The session behind a cookie value, if it exists, has not expired and its account is
  // enabled. Expired sessions are deleted.
  std::optional<CurrentSession> sessionFor(const std::string& cookieValue);
  void signOut(const std::string& cookieValue);

  struct PasswordChangeRefused {
    int status;  // 400 the new one is not usable, 403 the current one is wrong, 429 throttled
    std::string message;
  };
  // A person changes their own password: the current one first (a wrong one counts as a failed
  // sign-in of the account, so a browser left open cannot be used to guess it), then 12-256
  // characters that differ from it. Every other session of the account ends. nullopt when done.
  std::optional<PasswordChangeRefused> changePassword(const CurrentSession& session,
                                                      const std::string& current,
                                                      const std::string& next);

  static ClinicScope scopeOf(const OfficeUser& user);
  std::int64_t now() const { return m_now(); }

 private:
  OfficeStorage& m_storage;
  Clock m_now;
};

}  // namespace smp::server
