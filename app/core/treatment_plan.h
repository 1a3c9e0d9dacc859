// The plan shown before saving: sessions and spacing, aftercare, top-ups, price range.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/core/consultation_draft.h"

namespace smp::core {

struct PriceRange {
  std::string item;
  double min = 0;
  double max = 0;
  std::string currency;
};

struct TreatmentPlan {
  int sessions = 3;
  int daysBetweenMin = 7;
  int daysBetweenMax = 30;
  int hoursPerSessionMin = 2;
  int hoursPerSessionMax = 5;
  int topUpYearsMin = 3;
  int topUpYearsMax = 5;
  bool specialistReview = false;    // a health answer needs a specialist first
  std::optional<PriceRange> price;  // from head office's config; none until it has been pulled
};

// `config` is head office's config (may be empty). A scar alone usually needs two sessions.
TreatmentPlan planFor(const ConsultationDraft& draft, const nlohmann::json& config);

}  // namespace smp::core
