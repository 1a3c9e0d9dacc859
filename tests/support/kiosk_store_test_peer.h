// The store's own connection, for tests that check what only that connection can tell
// (PRAGMAs such as synchronous and foreign_keys are per connection) or read tables the store
// has no query for (the audit log). Production code has no way to it: SQL stays in the store.
#pragma once

#include "app/store/kiosk_store.h"
#include "sqlite/sqlite_db.h"

namespace smp::store {

class KioskStoreTestPeer {
 public:
  static sqlite::Database& connection(KioskStore& store) { return store.m_db; }
};

}  // namespace smp::store
