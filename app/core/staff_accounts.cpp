// Argon2id via crypto_pwhash_str (interactive limits: about 0.1 s and 64 MB per check on a
// kiosk, which is what makes a 4-digit PIN costly to guess offline).
#include "app/core/staff_accounts.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>

#include "sync/protocol/consultation.h"

namespace smp::core {
namespace {

std::int64_t seconds(StaffAccounts::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

void StaffAccounts::validatePin(const std::string& pin) {
  if (pin.size() < kMinPinDigits || pin.size() > kMaxPinDigits ||
      !std::all_of(pin.begin(), pin.end(), [](unsigned char c) { return std::isdigit(c); })) {
    throw StaffError("a PIN must be 4 to 8 digits");
  }
  if (std::all_of(pin.begin(), pin.end(), [&](char c) { return c == pin[0]; })) {
    throw StaffError("a PIN of one repeated digit is too easy to guess");
  }
}

StaffMember StaffAccounts::add(const std::string& name, const std::string& pin, bool admin,
                               const std::string& actor) {
  if (name.empty() || name.size() > kMaxStaffNameChars)
    throw StaffError("a staff name must be 1 to 60 characters");
  validatePin(pin);
  if (empty() && !admin) throw StaffError("the first staff member must be an admin");
  if (sodium_init() < 0) throw StaffError("libsodium failed to initialise");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, pin.c_str(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw StaffError("not enough memory to hash the PIN");
  }
  StaffMember m{"staff-" + protocol::newUuid().substr(0, 8), name, admin};
  store::StoreTransaction tx(m_store);
  m_store.staff().add({m.id, name, admin, std::string(hash)}, protocol::nowIso8601Utc());
  m_store.audit(actor, "staff.add", m.id);
  tx.commit();
  return m;
}

void StaffAccounts::remove(const std::string& staffId, const std::string& actor) {
  store::StoreTransaction tx(m_store);
  auto all = members();
  const auto it =
      std::find_if(all.begin(), all.end(), [&](const StaffMember& m) { return m.id == staffId; });
  if (it == all.end()) throw StaffError("no staff member " + staffId);
  const long admins =
      std::count_if(all.begin(), all.end(), [](const StaffMember& m) { return m.admin; });
  if (it->admin && admins == 1) throw StaffError("the last admin cannot be removed");
  m_store.staff().markRemoved(staffId, protocol::nowIso8601Utc());
  m_store.audit(actor, "staff.remove", staffId);
  tx.commit();
}

std::vector<StaffMember> StaffAccounts::members() {
  std::vector<StaffMember> out;
  for (const store::StaffRow& row : m_store.staff().active())
    out.push_back({row.id, row.name, row.admin});
  return out;
}

bool StaffAccounts::empty() { return members().empty(); }

int StaffAccounts::secondsLocked(const std::string& staffId, Clock::time_point now) {
  const std::int64_t until = m_store.staff().pinGuard(staffId).lockedUntil;
  return static_cast<int>(std::max<std::int64_t>(0, until - seconds(now)));
}

PinResult StaffAccounts::checkPin(const std::string& staffId, const std::string& pin,
                                  Clock::time_point now) {
  PinResult r;
  if (const int locked = secondsLocked(staffId, now); locked > 0) {
    r.result = PinCheck::kLocked;
    r.secondsLocked = locked;
    return r;
  }
  const std::optional<store::StaffRow> row = m_store.staff().activeMember(staffId);
  if (sodium_init() < 0) throw StaffError("libsodium failed to initialise");
  const bool ok =
      row && crypto_pwhash_str_verify(row->pinHash.c_str(), pin.c_str(), pin.size()) == 0;
  const std::string who = row ? staffId : "unknown";
  store::StoreTransaction tx(m_store);
  if (ok) {
    // Only this account's own ladder starts again: another member's sign-in never resets it.
    m_store.staff().clearPinGuard(staffId);
    m_store.audit(staffId, "staff.login", "");
    tx.commit();
    r.result = PinCheck::kAccepted;
    r.staff = StaffMember{staffId, row->name, row->admin};
    return r;
  }
  const store::PinGuard guard = m_store.staff().pinGuard(staffId);
  const int failures = guard.failures + 1;
  m_store.audit(who, "staff.pin_wrong", "");
  if (failures >= kMaxPinFailures) {
    // Each lockout doubles: 30 s, 1 min, 2 min ... at most an hour.
    const auto delay =
        std::min<std::int64_t>(3600, kFirstLockout.count() << std::min(guard.lockouts, 7));
    m_store.staff().lockPin(staffId, seconds(now) + delay);
    m_store.audit(who, "staff.locked", std::to_string(delay) + "s");
    r.result = PinCheck::kLocked;
    r.secondsLocked = static_cast<int>(delay);
  } else {
    m_store.staff().setPinFailures(staffId, failures);
    r.result = PinCheck::kWrong;
    r.triesLeft = kMaxPinFailures - failures;
  }
  tx.commit();
  return r;
}

}  // namespace smp::core
