// stb_image / stb_image_write wrappers: every failure becomes an ImageIoError naming the file.
#include "app/imageio/image_io.h"

#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>

namespace smp::imageio {
namespace {

struct StbFree {
  void operator()(unsigned char* p) const { stbi_image_free(p); }
};

std::unique_ptr<unsigned char, StbFree> decode(const Bytes& encoded, const std::string& what,
                                               int channels, int& w, int& h) {
  if (encoded.empty()) throw ImageIoError(what + ": the file is empty");
  if (encoded.size() > kMaxEncodedBytes) {
    throw ImageIoError(what + ": " + std::to_string(encoded.size()) +
                       " bytes is larger than the limit of " + std::to_string(kMaxEncodedBytes) +
                       " bytes");
  }
  const int len = static_cast<int>(encoded.size());
  int comp = 0;
  if (!stbi_info_from_memory(encoded.data(), len, &w, &h, &comp)) {
    throw ImageIoError(what + ": not a readable JPEG or PNG image (" + stbi_failure_reason() + ")");
  }
  if (static_cast<long long>(w) * h > kMaxDecodedPixels) {
    throw ImageIoError(what + ": " + std::to_string(w) + "x" + std::to_string(h) +
                       " is larger than the limit of " +
                       std::to_string(kMaxDecodedPixels / 1000000) + " megapixels");
  }
  std::unique_ptr<unsigned char, StbFree> data(
      stbi_load_from_memory(encoded.data(), len, &w, &h, &comp, channels));
  if (!data) {
    throw ImageIoError(what + ": could not decode (" + stbi_failure_reason() + ")");
  }
  return data;
}

void appendBytes(void* context, void* data, int size) {
  auto* out = static_cast<Bytes*>(context);
  const auto* p = static_cast<const std::uint8_t*>(data);
  out->insert(out->end(), p, p + size);
}

}  // namespace

engine::RgbImage decodeRgb(const Bytes& encoded, const std::string& what) {
  int w = 0, h = 0;
  auto data = decode(encoded, what, 3, w, h);
  engine::RgbImage img(w, h);
  std::copy_n(data.get(), img.pixels.size(), img.pixels.begin());
  return img;
}

engine::GrayImage decodeGray(const Bytes& encoded, const std::string& what) {
  int w = 0, h = 0;
  auto data = decode(encoded, what, 1, w, h);
  engine::GrayImage img(w, h);
  std::copy_n(data.get(), img.pixels.size(), img.pixels.begin());
  return img;
}

Bytes encode(const engine::RgbImage& image, Format format, int jpegQuality) {
  if (image.empty()) throw ImageIoError("cannot encode an empty image");
  Bytes out;
  int ok = 0;
  if (format == Format::kJpeg) {
    ok = stbi_write_jpg_to_func(appendBytes, &out, image.width, image.height, 3,
                                image.pixels.data(), std::clamp(jpegQuality, 1, 100));
  } else {
    ok = stbi_write_png_to_func(appendBytes, &out, image.width, image.height, 3,
                                image.pixels.data(), image.width * 3);
  }
  if (!ok) throw ImageIoError("image encoder failed");
  return out;
}

Bytes encodeGray(const engine::GrayImage& image) {
  if (image.empty()) throw ImageIoError("cannot encode an empty image");
  Bytes out;
  if (!stbi_write_png_to_func(appendBytes, &out, image.width, image.height, 1, image.pixels.data(),
                              image.width)) {
    throw ImageIoError("image encoder failed");
  }
  return out;
}

Bytes readFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw ImageIoError(path.string() + ": no such file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw ImageIoError(path.string() + ": cannot read (" + ec.message() + ")");
  if (size > kMaxEncodedBytes) {
    throw ImageIoError(path.string() + ": " + std::to_string(size) +
                       " bytes is larger than the limit of " + std::to_string(kMaxEncodedBytes) +
                       " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ImageIoError(path.string() + ": cannot open for reading");
  Bytes bytes(static_cast<std::size_t>(size));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
  if (!in) throw ImageIoError(path.string() + ": read failed");
  return bytes;
}

void writeFileAtomically(const std::filesystem::path& path, const Bytes& bytes) {
  // Write beside the target and rename, so a crash never leaves half a file under the real name.
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw ImageIoError(path.string() + ": cannot open for writing");
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out) throw ImageIoError(path.string() + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw ImageIoError(path.string() + ": cannot replace (" + ec.message() + ")");
}

engine::RgbImage loadRgb(const std::filesystem::path& path) {
  return decodeRgb(readFile(path), path.string());
}

engine::GrayImage loadGray(const std::filesystem::path& path) {
  return decodeGray(readFile(path), path.string());
}

Format formatForPath(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext == ".jpg" || ext == ".jpeg") return Format::kJpeg;
  if (ext == ".png") return Format::kPng;
  throw ImageIoError(path.string() + ": unknown image type '" + ext + "', use .jpg, .jpeg or .png");
}

void saveRgb(const std::filesystem::path& path, const engine::RgbImage& image) {
  writeFileAtomically(path, encode(image, formatForPath(path)));
}

engine::RgbImage downscaleToFit(const engine::RgbImage& image, int maxWidth, int maxHeight) {
  if (image.width <= maxWidth && image.height <= maxHeight) return image;
  const double scale = std::min(static_cast<double>(maxWidth) / image.width,
                                static_cast<double>(maxHeight) / image.height);
  const int w = std::max(1, static_cast<int>(image.width * scale));
  const int h = std::max(1, static_cast<int>(image.height * scale));
  engine::RgbImage out(w, h);
  for (int y = 0; y < h; ++y) {
    const int sy0 = y * image.height / h, sy1 = std::max(sy0 + 1, (y + 1) * image.height / h);
    for (int x = 0; x < w; ++x) {
      const int sx0 = x * image.width / w, sx1 = std::max(sx0 + 1, (x + 1) * image.width / w);
      unsigned sum[3] = {0, 0, 0};
      for (int sy = sy0; sy < sy1; ++sy) {
        for (int sx = sx0; sx < sx1; ++sx) {
          const auto* p = image.at(sx, sy);
          sum[0] += p[0];
          sum[1] += p[1];
          sum[2] += p[2];
        }
      }
      const unsigned n = static_cast<unsigned>((sy1 - sy0) * (sx1 - sx0));
      auto* q = out.at(x, y);
      for (int c = 0; c < 3; ++c) q[c] = static_cast<std::uint8_t>(sum[c] / n);
    }
  }
  return out;
}

}  // namespace smp::imageio
