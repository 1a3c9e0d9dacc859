// Staff accounts and their PIN lockout ladders, as rows. The rules (PIN length, the last admin,
// how long a lockout lasts) are core's (app/core/staff_accounts.h); this file only keeps them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smp::sqlite {
class Database;
}

namespace smp::store {

struct StaffRow {
  std::string id;
  std::string name;
  bool admin = false;
  std::string pinHash;  // Argon2id string; empty in listings
};

// One account's wrong-PIN count since its last sign-in or lockout, how many lockouts it has had
// (each one doubles the next) and until when (Unix seconds) it is locked.
struct PinGuard {
  int failures = 0;
  int lockouts = 0;
  std::int64_t lockedUntil = 0;
};

class StaffStore {
 public:
  explicit StaffStore(sqlite::Database& db) : m_db(db) {}

  void add(const StaffRow& row, const std::string& createdAt);
  // Kept as a row (the audit log names it) but no longer listed or allowed in.
  void markRemoved(const std::string& id, const std::string& removedAt);
  // Members not removed, by name, without their PIN hashes.
  std::vector<StaffRow> active();
  // A member not removed, with the PIN hash to check against.
  std::optional<StaffRow> activeMember(const std::string& id);

  // All zero for an account that never got a PIN wrong.
  PinGuard pinGuard(const std::string& id);
  void setPinFailures(const std::string& id, int failures);
  // Starts a lockout: the failures start again from zero and the lockout count goes up.
  void lockPin(const std::string& id, std::int64_t untilUnixSeconds);
  // A correct PIN: this account's ladder starts again.
  void clearPinGuard(const std::string& id);

 private:
  sqlite::Database& m_db;
};

}  // namespace smp::store
