// Validated reads of JSON fields, shared by the record and message mappings. Each throws
// ProtocolError with a message that names the field and what was expected.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace smp::protocol {

// The field `name` of object `j`; throws if `j` is not an object or the field is missing.
const nlohmann::json& field(const nlohmann::json& j, const char* name);
// A string field of at most maxLen bytes.
std::string stringField(const nlohmann::json& j, const char* name, std::size_t maxLen = 1024);
// An integer field within [lo, hi].
std::int64_t intField(const nlohmann::json& j, const char* name, std::int64_t lo, std::int64_t hi);

}  // namespace smp::protocol
