// Decoding and encoding photos (JPEG, PNG) with stb from Debian; EXIF is dropped by re-encoding.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/image.h"

namespace smp::imageio {

class ImageIoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using Bytes = std::vector<std::uint8_t>;

enum class Format { kJpeg, kPng };

// Largest file we try to decode, and the largest pixel count we accept from a header.
inline constexpr std::size_t kMaxEncodedBytes = 64u << 20;
inline constexpr long long kMaxDecodedPixels = 40'000'000;

engine::RgbImage decodeRgb(const Bytes& encoded, const std::string& what);
engine::GrayImage decodeGray(const Bytes& encoded, const std::string& what);
Bytes encode(const engine::RgbImage& image, Format format, int jpegQuality = 90);
Bytes encodeGray(const engine::GrayImage& image);

Bytes readFile(const std::filesystem::path& path);
void writeFileAtomically(const std::filesystem::path& path, const Bytes& bytes);

engine::RgbImage loadRgb(const std::filesystem::path& path);
engine::GrayImage loadGray(const std::filesystem::path& path);
// Picks the format from the extension (.jpg/.jpeg/.png); anything else is an error.
void saveRgb(const std::filesystem::path& path, const engine::RgbImage& image);
Format formatForPath(const std::filesystem::path& path);

// Scales to fit inside maxWidth x maxHeight keeping the aspect ratio (box filter).
engine::RgbImage downscaleToFit(const engine::RgbImage& image, int maxWidth, int maxHeight);

}  // namespace smp::imageio
