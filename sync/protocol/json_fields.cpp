// Field readers for the protocol's JSON: each failure names the field and what was expected.
#include "sync/protocol/json_fields.h"

#include "sync/protocol/consultation.h"

namespace smp::protocol {

using nlohmann::json;

const json& field(const json& j, const char* name) {
  if (!j.is_object()) throw ProtocolError("expected a JSON object");
  auto it = j.find(name);
  if (it == j.end()) throw ProtocolError(std::string("missing field '") + name + "'");
  return *it;
}

std::string stringField(const json& j, const char* name, std::size_t maxLen) {
  const json& v = field(j, name);
  if (!v.is_string()) throw ProtocolError(std::string("field '") + name + "' must be a string");
  std::string s = v.get<std::string>();
  if (s.size() > maxLen) {
    throw ProtocolError(std::string("field '") + name + "' is longer than " +
                        std::to_string(maxLen) + " characters");
  }
  return s;
}

std::int64_t intField(const json& j, const char* name, std::int64_t lo, std::int64_t hi) {
  const json& v = field(j, name);
  if (!v.is_number_integer()) {
    throw ProtocolError(std::string("field '") + name + "' must be an integer");
  }
  const auto n = v.get<std::int64_t>();
  if (n < lo || n > hi) {
    throw ProtocolError(std::string("field '") + name + "' is " + std::to_string(n) + ", valid " +
                        std::to_string(lo) + "-" + std::to_string(hi));
  }
  return n;
}

}  // namespace smp::protocol
