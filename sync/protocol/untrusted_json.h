// JSON that crosses a trust boundary (HTTP bodies, responses, files, database columns): parsed
// with its size and nesting checked before any document is built, and printed so that any bytes
// in a string (a path, a name) can never make the printer throw.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace smp::protocol {

// Deep enough for every message of the protocol (the deepest is about 5 levels), far too shallow
// to exhaust a stack when a document is copied or destroyed recursively.
inline constexpr int kMaxJsonDepth = 64;

// Parses `text` into a document. Throws ProtocolError, naming the limit or the position, when the
// text is over `maxBytes`, nests deeper than `maxDepth`, or is not JSON. The depth is checked by
// a SAX pass that builds nothing, so a hostile document costs no memory beyond its text.
nlohmann::json parseUntrustedJson(std::string_view text, std::size_t maxBytes,
                                  int maxDepth = kMaxJsonDepth);

// `json.dump()` that replaces invalid UTF-8 with U+FFFD instead of throwing.
std::string dumpJson(const nlohmann::json& json);

}  // namespace smp::protocol
