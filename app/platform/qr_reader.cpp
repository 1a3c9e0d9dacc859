#include "app/platform/qr_reader.h"

#include <zbar.h>

#include <cstdint>
#include <vector>

namespace smp::platform {

struct QrReader::Impl {
  zbar::ImageScanner scanner;
  std::vector<std::uint8_t> grey;
};

QrReader::QrReader() : m_impl(std::make_unique<Impl>()) {
  // QR codes only: other symbologies would only add time and false reads.
  m_impl->scanner.set_config(zbar::ZBAR_NONE, zbar::ZBAR_CFG_ENABLE, 0);
  m_impl->scanner.set_config(zbar::ZBAR_QRCODE, zbar::ZBAR_CFG_ENABLE, 1);
}

QrReader::~QrReader() = default;

std::optional<std::string> QrReader::read(const engine::RgbImage& frame) {
  if (frame.width <= 0 || frame.height <= 0 ||
      frame.pixels.size() < static_cast<std::size_t>(frame.width) * frame.height * 3) {
    return std::nullopt;
  }
  const int step = frame.width > 1280 ? 2 : 1;
  const int w = frame.width / step, h = frame.height / step;
  m_impl->grey.resize(static_cast<std::size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const std::uint8_t* p =
          &frame.pixels[(static_cast<std::size_t>(y * step) * frame.width + x * step) * 3];
      // Rec. 601 luma in integers: what ZBar's Y800 expects.
      m_impl->grey[static_cast<std::size_t>(y) * w + x] =
          static_cast<std::uint8_t>((77 * p[0] + 150 * p[1] + 29 * p[2]) >> 8);
    }
  }
  zbar::Image image(static_cast<unsigned>(w), static_cast<unsigned>(h), "Y800", m_impl->grey.data(),
                    m_impl->grey.size());
  if (m_impl->scanner.scan(image) <= 0) return std::nullopt;
  for (auto symbol = image.symbol_begin(); symbol != image.symbol_end(); ++symbol) {
    if (symbol->get_type() == zbar::ZBAR_QRCODE) return symbol->get_data();
  }
  return std::nullopt;
}

}  // namespace smp::platform
