// Bounded parsing: a SAX pass measures the nesting first, then the document is built.
#include "sync/protocol/untrusted_json.h"

#include "sync/protocol/consultation.h"

namespace smp::protocol {
namespace {

using nlohmann::json;

// Counts nesting and stops the parse at the first level past the limit.
class DepthCheck : public nlohmann::json_sax<json> {
 public:
  explicit DepthCheck(int maxDepth) : m_maxDepth(maxDepth) {}

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return enter(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return leave(); }
  bool start_array(std::size_t) override { return enter(); }
  bool end_array() override { return leave(); }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& e) override {
    m_error = "not valid JSON at byte " + std::to_string(position) + " (" + e.what() + ")";
    return false;
  }

  const std::string& error() const { return m_error; }

 private:
  bool enter() {
    if (++m_depth > m_maxDepth) {
      m_error = "JSON nests deeper than " + std::to_string(m_maxDepth) + " levels";
      return false;
    }
    return true;
  }
  bool leave() {
    --m_depth;
    return true;
  }

  int m_maxDepth;
  int m_depth = 0;
  std::string m_error;
};

}  // namespace

json parseUntrustedJson(std::string_view text, std::size_t maxBytes, int maxDepth) {
  if (text.size() > maxBytes) {
    throw ProtocolError("JSON of " + std::to_string(text.size()) + " bytes is over the limit of " +
                        std::to_string(maxBytes));
  }
  DepthCheck check(maxDepth);
  if (!json::sax_parse(text, &check)) {
    throw ProtocolError(check.error().empty() ? "not valid JSON" : check.error());
  }
  // The SAX pass proved the text well formed and shallow, so this parse cannot fail or recurse
  // deeply; allow_exceptions=false keeps even a surprise from escaping as a parse_error.
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded()) throw ProtocolError("not valid JSON");
  return document;
}

std::string dumpJson(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace smp::protocol
