// Plan rules from DOMAIN.md: usually 3 sessions (2-4), 7-30 days apart, 2-5 hours each; top-ups
// every 3-5 years. The price list comes from head office, matched to the concern.
#include "app/core/treatment_plan.h"

namespace smp::core {

TreatmentPlan planFor(const ConsultationDraft& draft, const nlohmann::json& config) {
  TreatmentPlan plan;
  if (draft.concern == "scar") {
    plan.sessions = 2;
    plan.hoursPerSessionMax = 3;
  } else if (draft.lossStage == "norwood-6" || draft.lossStage == "norwood-7") {
    plan.sessions = 4;  // a large area: one more pass to build density
  }
  plan.specialistReview = !draft.healthFlags().empty();
  if (config.is_object() && config.contains("price_list") && config["price_list"].is_array()) {
    const nlohmann::json* chosen = nullptr;
    for (const auto& p : config["price_list"]) {
      if (!p.is_object()) continue;
      if (!chosen) chosen = &p;  // the first entry is the general one
      if (p.value("concern", "") == draft.concern) chosen = &p;
    }
    if (chosen && (*chosen)["min"].is_number() && (*chosen)["max"].is_number()) {
      plan.price = PriceRange{chosen->value("item", ""), (*chosen)["min"].get<double>(),
                              (*chosen)["max"].get<double>(), chosen->value("currency", "")};
    }
  }
  return plan;
}

}  // namespace smp::core
