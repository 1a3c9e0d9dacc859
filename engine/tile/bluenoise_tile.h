// The progressive blue-noise tile, generated at build time (see tile_builder.h).
#pragma once

#include <cstdint>

namespace smp::engine::tile {

extern const int kTilePointCount;
// 2 * kTilePointCount values: x, y in 1/65536 of the tile side, sorted by rank.
extern const std::uint16_t kTilePoints[];

}  // namespace smp::engine::tile
