// Consent: the versioned text to scroll, required privacy consent, optional marketing consent, the
// signature.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/core/consent_text.h"
#include "app/ui/client/client_layout.h"
#include "app/ui/kiosk_screens.h"

namespace smp::ui {

using namespace client_layout;

void KioskScreens::drawConsent() {
  drawHeader("consent.title");
  const auto& d = m_flow.draft();
  const float textW = 900;
  ImGui::SetCursorPos(ImVec2(kMargin, kTop));
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1, 1, 1, 1));
  ImGui::BeginChild("consent-text", ImVec2(textW, 560), true);
  ImGui::PushTextWrapPos(textW - 50);
  const core::ConsentText shown = m_consentText(d.language);
  ImGui::TextUnformatted(core::reflowParagraphs(shown.text).c_str());
  ImGui::PopTextWrapPos();
  m_targets.add("consent-text", {ImGui::GetWindowPos().x, ImGui::GetWindowPos().y, textW, 560});
  ImGui::EndChild();
  ImGui::PopStyleColor();

  const float rightX = kMargin + textW + 50;
  const float rightW = static_cast<float>(m_host.width()) - kMargin - rightX;
  ImGui::SetCursorPos(ImVec2(rightX, kTop));
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(rightX + rightW);
  // A large tick box with its sentence wrapped beside it (buttons cannot wrap text).
  auto toggleRow = [&](const std::string& name, const std::string& label, bool checked) {
    const float y0 = ImGui::GetCursorPosY();
    const bool pressed = button(name, "", 84, 84, false, checked);  // selected adds the mark
    ImGui::SameLine(0, 20);
    ImGui::SetCursorPosY(y0 + 6);
    ImGui::PushTextWrapPos(rightX + rightW);
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPosY(std::max(ImGui::GetCursorPosY(), y0 + 100));
    return pressed;
  };
  if (toggleRow("consent", m_tr("consent.privacy"), d.consentGiven))
    m_flow.setConsent(!d.consentGiven, shown.sha256);
  if (toggleRow("marketing", m_tr("consent.marketing"), d.marketingConsent))
    m_flow.setMarketingConsent(!d.marketingConsent);
  ImGui::Dummy(ImVec2(0, 10));
  ImGui::TextUnformatted(m_tr("consent.sign").c_str());
  if (auto stroke = m_signaturePad.draw(d.signature, rightW, 220, m_targets))
    m_flow.addSignatureStroke(std::move(*stroke));
  if (button("signature-clear", m_tr("consent.clear"), 220, 70)) m_flow.clearSignature();
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  drawFooter(true);
}

}  // namespace smp::ui
