// Versioned schema migrations for the kiosk store; migration N takes the schema from N-1 to N.
#pragma once

#include <string_view>
#include <vector>

namespace smp::store {

// Index 0 is migration 1. Never edit a shipped migration: append a new one.
const std::vector<std::string_view>& kioskMigrations();

}  // namespace smp::store
