// The one exception type the engine throws: bad input named with its value and valid range.
#pragma once

#include <stdexcept>
#include <string>

namespace smp::engine {

enum class EngineErrorCode {
  kEmptyImage,
  kImageTooSmall,
  kImageTooLarge,
  kSizeMismatch,
  kOutOfRange,
};

class EngineError : public std::invalid_argument {
 public:
  EngineError(EngineErrorCode code, const std::string& message)
      : std::invalid_argument(message), m_code(code) {}
  EngineErrorCode code() const { return m_code; }

 private:
  EngineErrorCode m_code;
};

}  // namespace smp::engine
