// The plan: sessions and spacing, aftercare, top-ups and the price range, then save.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/core/treatment_plan.h"
#include "app/ui/client/client_layout.h"
#include "app/ui/kiosk_screens.h"

namespace smp::ui {

using namespace client_layout;

void KioskScreens::drawPlan() {
  drawHeader("plan.title");
  const auto& d = m_flow.draft();
  const core::TreatmentPlan plan = m_plan ? m_plan(d) : core::planFor(d, {});
  auto n = [](int v) { return std::to_string(v); };
  ImGui::SetCursorPos(ImVec2(kMargin, kTop));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(kMargin + 880);
  ImGui::PushFont(m_host.fonts().title);
  ImGui::TextUnformatted(m_tr.format("plan.sessions", {n(plan.sessions), n(plan.daysBetweenMin),
                                                       n(plan.daysBetweenMax)})
                             .c_str());
  ImGui::PopFont();
  ImGui::TextUnformatted(
      m_tr.format("plan.hours", {n(plan.hoursPerSessionMin), n(plan.hoursPerSessionMax)}).c_str());
  ImGui::TextUnformatted(
      m_tr.format("plan.topups", {n(plan.topUpYearsMin), n(plan.topUpYearsMax)}).c_str());
  ImGui::Dummy(ImVec2(0, 20));
  if (plan.price) {
    auto money = [](double v) { return std::to_string(static_cast<long>(std::lround(v))); };
    ImGui::TextUnformatted(m_tr.format("plan.price", {money(plan.price->min),
                                                      money(plan.price->max), plan.price->currency})
                               .c_str());
  } else {
    ImGui::TextUnformatted(m_tr("plan.price_ask").c_str());
  }
  if (plan.specialistReview) {
    ImGui::Dummy(ImVec2(0, 10));
    ImGui::TextUnformatted(m_tr("plan.specialist").c_str());
  }
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  const float rightX = kMargin + 960;
  ImGui::SetCursorPos(ImVec2(rightX, kTop));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(static_cast<float>(m_host.width()) - kMargin);
  ImGui::PushFont(m_host.fonts().title);
  ImGui::TextUnformatted(m_tr("plan.aftercare_title").c_str());
  ImGui::PopFont();
  for (int i = 1; i <= 4; ++i)
    ImGui::TextUnformatted(("\xE2\x80\xA2 " + m_tr("plan.aftercare_" + std::to_string(i))).c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  drawFooter(false);
  const float y = static_cast<float>(m_host.height()) - 40 - 100;
  ImGui::SetCursorPos(ImVec2(static_cast<float>(m_host.width()) - kMargin - 480, y));
  if (button("save", m_tr("plan.save"), 480, 100, true)) m_flow.save();
}

}  // namespace smp::ui
