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
  sqlite::Transaction tx(m_store.database());
  sqlite::Statement(m_store.database(),
                    "INSERT INTO staff(id, name, role, pin_hash, created_at) VALUES(?,?,?,?,?)")
      .bind(1, m.id)
      .bind(2, name)
      .bind(3, admin ? "admin" : "staff")
      .bind(4, std::string(hash))
      .bind(5, protocol::nowIso8601Utc())
      .run();
  m_store.audit(actor, "staff.add", m.id);
  tx.commit();
  return m;
}

void StaffAccounts::remove(const std::string& staffId, const std::string& actor) {
  sqlite::Transaction tx(m_store.database());
  auto all = members();
  const auto it =
      std::find_if(all.begin(), all.end(), [&](const StaffMember& m) { return m.id == staffId; });
  if (it == all.end()) throw StaffError("no staff member " + staffId);
  const long admins =
      std::count_if(all.begin(), all.end(), [](const StaffMember& m) { return m.admin; });
  if (it->admin && admins == 1) throw StaffError("the last admin cannot be removed");
  sqlite::Statement(m_store.database(), "UPDATE staff SET removed_at = ? WHERE id = ?")
      .bind(1, protocol::nowIso8601Utc())
      .bind(2, staffId)
      .run();
  m_store.audit(actor, "staff.remove", staffId);
  tx.commit();
}

std::vector<StaffMember> StaffAccounts::members() {
  sqlite::Statement st(m_store.database(),
                       "SELECT id, name, role FROM staff WHERE removed_at IS NULL ORDER BY name");
  std::vector<StaffMember> out;
  while (st.step())
    out.push_back({st.columnText(0), st.columnText(1), st.columnText(2) == "admin"});
  return out;
}

bool StaffAccounts::empty() { return members().empty(); }

int StaffAccounts::secondsLocked(const std::string& staffId, Clock::time_point now) {
  sqlite::Statement st(m_store.database(),
                       "SELECT locked_until FROM staff_pin_guard WHERE staff_id = ?");
  st.bind(1, staffId);
  if (!st.step()) return 0;
  return static_cast<int>(std::max<std::int64_t>(0, st.columnInt(0) - seconds(now)));
}

PinResult StaffAccounts::checkPin(const std::string& staffId, const std::string& pin,
                                  Clock::time_point now) {
  PinResult r;
  if (const int locked = secondsLocked(staffId, now); locked > 0) {
    r.result = PinCheck::kLocked;
    r.secondsLocked = locked;
    return r;
  }
  std::string hash;
  std::optional<StaffMember> member;
  {
    sqlite::Statement st(
        m_store.database(),
        "SELECT name, role, pin_hash FROM staff WHERE id = ? AND removed_at IS NULL");
    st.bind(1, staffId);
    if (st.step()) {
      member = StaffMember{staffId, st.columnText(0), st.columnText(1) == "admin"};
      hash = st.columnText(2);
    }
  }
  if (sodium_init() < 0) throw StaffError("libsodium failed to initialise");
  const bool ok = member && crypto_pwhash_str_verify(hash.c_str(), pin.c_str(), pin.size()) == 0;
  sqlite::Transaction tx(m_store.database());
  if (ok) {
    // Only this account's own ladder starts again: another member's sign-in never resets it.
    sqlite::Statement(m_store.database(), "DELETE FROM staff_pin_guard WHERE staff_id = ?")
        .bind(1, staffId)
        .run();
    m_store.audit(staffId, "staff.login", "");
    tx.commit();
    r.result = PinCheck::kAccepted;
    r.staff = member;
    return r;
  }
  sqlite::Statement(m_store.database(),
                    "INSERT INTO staff_pin_guard(staff_id) VALUES(?) ON CONFLICT DO NOTHING")
      .bind(1, staffId)
      .run();
  sqlite::Statement st(m_store.database(),
                       "SELECT failures + 1, lockouts FROM staff_pin_guard WHERE staff_id = ?");
  st.bind(1, staffId);
  st.step();
  const int failures = static_cast<int>(st.columnInt(0));
  const int lockouts = static_cast<int>(st.columnInt(1));
  m_store.audit(member ? staffId : "unknown", "staff.pin_wrong", "");
  if (failures >= kMaxPinFailures) {
    // Each lockout doubles: 30 s, 1 min, 2 min ... at most an hour.
    const auto delay = std::min<std::int64_t>(3600, kFirstLockout.count() << std::min(lockouts, 7));
    sqlite::Statement(m_store.database(),
                      "UPDATE staff_pin_guard SET failures = 0, lockouts = lockouts + 1, "
                      "locked_until = ? WHERE staff_id = ?")
        .bind(1, seconds(now) + delay)
        .bind(2, staffId)
        .run();
    m_store.audit(member ? staffId : "unknown", "staff.locked", std::to_string(delay) + "s");
    r.result = PinCheck::kLocked;
    r.secondsLocked = static_cast<int>(delay);
  } else {
    sqlite::Statement(m_store.database(),
                      "UPDATE staff_pin_guard SET failures = ? WHERE staff_id = ?")
        .bind(1, failures)
        .bind(2, staffId)
        .run();
    r.result = PinCheck::kWrong;
    r.triesLeft = kMaxPinFailures - failures;
  }
  tx.commit();
  return r;
}

}  // namespace smp::core
