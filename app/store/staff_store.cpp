#include "app/store/staff_store.h"

#include "sqlite/sqlite_db.h"

namespace smp::store {

void StaffStore::add(const StaffRow& row, const std::string& createdAt) {
  sqlite::Statement(m_db,
                    "INSERT INTO staff(id, name, role, pin_hash, created_at) VALUES(?,?,?,?,?)")
      .bind(1, row.id)
      .bind(2, row.name)
      .bind(3, row.admin ? "admin" : "staff")
      .bind(4, row.pinHash)
      .bind(5, createdAt)
      .run();
}

void StaffStore::markRemoved(const std::string& id, const std::string& removedAt) {
  sqlite::Statement(m_db, "UPDATE staff SET removed_at = ? WHERE id = ?")
      .bind(1, removedAt)
      .bind(2, id)
      .run();
}

std::vector<StaffRow> StaffStore::active() {
  sqlite::Statement st(m_db,
                       "SELECT id, name, role FROM staff WHERE removed_at IS NULL ORDER BY name");
  std::vector<StaffRow> out;
  while (st.step())
    out.push_back({st.columnText(0), st.columnText(1), st.columnText(2) == "admin", ""});
  return out;
}

std::optional<StaffRow> StaffStore::activeMember(const std::string& id) {
  sqlite::Statement st(
      m_db, "SELECT name, role, pin_hash FROM staff WHERE id = ? AND removed_at IS NULL");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return StaffRow{id, st.columnText(0), st.columnText(1) == "admin", st.columnText(2)};
}

PinGuard StaffStore::pinGuard(const std::string& id) {
  sqlite::Statement st(
      m_db, "SELECT failures, lockouts, locked_until FROM staff_pin_guard WHERE staff_id = ?");
  st.bind(1, id);
  if (!st.step()) return {};
  return {static_cast<int>(st.columnInt(0)), static_cast<int>(st.columnInt(1)), st.columnInt(2)};
}

void StaffStore::setPinFailures(const std::string& id, int failures) {
  sqlite::Statement(m_db,
                    "INSERT INTO staff_pin_guard(staff_id, failures) VALUES(?, ?) "
                    "ON CONFLICT(staff_id) DO UPDATE SET failures = excluded.failures")
      .bind(1, id)
      .bind(2, failures)
      .run();
}

void StaffStore::lockPin(const std::string& id, std::int64_t untilUnixSeconds) {
  sqlite::Statement(m_db,
                    "INSERT INTO staff_pin_guard(staff_id, lockouts, locked_until) VALUES(?, 1, ?) "
                    "ON CONFLICT(staff_id) DO UPDATE SET failures = 0, "
                    "lockouts = lockouts + 1, locked_until = excluded.locked_until")
      .bind(1, id)
      .bind(2, untilUnixSeconds)
      .run();
}

void StaffStore::clearPinGuard(const std::string& id) {
  sqlite::Statement(m_db, "DELETE FROM staff_pin_guard WHERE staff_id = ?").bind(1, id).run();
}

}  // namespace smp::store
