// Clinic staff who may enter staff mode: PINs of 4-8 digits stored as Argon2id hashes
// (libsodium), five wrong PINs lock entry with a growing delay, every change is audited.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/store/kiosk_store.h"

namespace smp::core {

struct StaffMember {
  std::string id;
  std::string name;
  bool admin = false;
};

class StaffError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class PinCheck { kAccepted, kWrong, kLocked };

struct PinResult {
  PinCheck result = PinCheck::kWrong;
  std::optional<StaffMember> staff;
  int secondsLocked = 0;  // while locked: how long until the next try
  int triesLeft = 0;      // after a wrong PIN: tries before the lock
};

// The rules for staff names and PINs, in one place for the CLI, staff mode and the screens.
inline constexpr std::size_t kMinPinDigits = 4;
inline constexpr std::size_t kMaxPinDigits = 8;
inline constexpr std::size_t kMaxStaffNameChars = 60;
inline constexpr int kMaxPinFailures = 5;
inline constexpr std::chrono::seconds kFirstLockout{30};  // doubles with each lockout, max 1 h

class StaffAccounts {
 public:
  using Clock = std::chrono::system_clock;  // the lock must survive restarts: wall time
  explicit StaffAccounts(store::KioskStore& store) : m_store(store) {}

  // Throws StaffError naming the rule a PIN or name breaks.
  static void validatePin(const std::string& pin);

  // The first member must be an admin (the CLI's `staff add --admin`, or the first-run wizard).
  StaffMember add(const std::string& name, const std::string& pin, bool admin,
                  const std::string& actor);
  void remove(const std::string& staffId, const std::string& actor);
  std::vector<StaffMember> members();
  bool empty();

  PinResult checkPin(const std::string& staffId, const std::string& pin, Clock::time_point now);
  // Seconds until this account may try a PIN again (0: not locked).
  int secondsLocked(const std::string& staffId, Clock::time_point now);

 private:
  store::KioskStore& m_store;
};

}  // namespace smp::core
