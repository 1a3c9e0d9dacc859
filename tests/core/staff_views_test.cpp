// Staff mode's views: the records list and the open record come ready to draw (keys, flat
// strings, decoded images) and follow every change to the store, whoever made it.
#include "app/core/staff_views.h"

#include <gtest/gtest.h>

#include "app/core/scales.h"
#include "app/imageio/image_io.h"
#include "tests/core/staff_fixture.h"

namespace smp::core {
namespace {

store::BlobData blob(const std::string& role, const imageio::Bytes& bytes) {
  store::BlobData b;
  b.bytes = bytes;
  b.ref = {role, protocol::sha256Hex(b.bytes), b.bytes.size(), "image/png"};
  return b;
}

TEST(StageName, WrittenAsCliniciansWriteTheScales) {
  EXPECT_EQ(stageName("norwood-3"), "Norwood III");
  EXPECT_EQ(stageName("ludwig-2"), "Ludwig II");
  EXPECT_EQ(stageName("norwood-7"), "Norwood VII");
  // Anything else is shown as it was stored, never read past its end.
  for (const std::string odd : {"", "-", "norwood-", "norwood-8", "norwood-0", "-3", "x-33"})
    EXPECT_EQ(stageName(odd), odd);
}

TEST_F(StaffTest, TheListFollowsTheQueryAndEveryChangeWhoeverMadeIt) {
  const auto a = save("Alice Brown", true);
  StaffMode mode(*store, [] {});
  ASSERT_TRUE(signIn(mode, admin, "4821"));
  ASSERT_EQ(mode.records().size(), 1u);
  const RecordRow row = mode.records()[0];
  EXPECT_EQ(row.clientName, "Alice Brown");
  EXPECT_TRUE(row.flagged);
  EXPECT_EQ(row.syncKey, "staff.sync_pending");
  EXPECT_EQ(row.when, "2026-11-21 10:00");

  save("Bob Green");  // through the same connection
  EXPECT_EQ(mode.records().size(), 2u);
  {
    // The sync worker writes through a connection of its own.
    store::KioskStore worker(databasePath(data.path()));
    worker.markSynced(a.id, 1, "2026-11-21T10:05:00Z", store::OutboxKind::kRecord);
  }
  const auto& rows = mode.records();
  const auto alice = std::find_if(rows.begin(), rows.end(), [&](auto& r) { return r.id == a.id; });
  ASSERT_NE(alice, rows.end());
  EXPECT_EQ(alice->syncKey, "staff.sync_synced");
  mode.query().text = "Bob";
  ASSERT_EQ(mode.records().size(), 1u);
  EXPECT_EQ(mode.records()[0].clientName, "Bob Green");
}

// The health screen and the team are drawn every frame: they re-read the store when it changes
// (through any connection), and the health figures at most once a second otherwise.
TEST_F(StaffTest, SyncHealthAndTheTeamFollowTheStoreWithoutAQueryPerFrame) {
  save("Alice Brown");
  StaffMode mode(*store, [] {});
  ASSERT_TRUE(signIn(mode, admin, "4821"));
  EXPECT_EQ(mode.syncHealth(t0).pending, 1);
  EXPECT_FALSE(mode.syncHealth(t0).online);
  {
    store::KioskStore worker(databasePath(data.path()));
    worker.setLastSync("ok: 1 sent");
  }
  EXPECT_TRUE(mode.syncHealth(t0).online) << "the worker's commit is seen at once";
  EXPECT_EQ(mode.syncHealth(t0).lastResult, "ok: 1 sent");

  ASSERT_EQ(mode.members().size(), 2u);
  accounts->add("Cleo", "2468", false, admin.id);
  ASSERT_EQ(mode.members().size(), 3u) << "a new member appears without a restart";
  EXPECT_EQ(mode.members()[1].name, "Ben");
}

TEST_F(StaffTest, TheOpenRecordIsReadyToDrawAndFollowsNewRevisions) {
  store::ConsultationToSave c = test::consultationToSave("Dana Moore", "not an image");
  const engine::RgbImage picture(40, 30);
  c.blobs.push_back(blob("preview", imageio::encode(picture, imageio::Format::kPng)));
  c.record.previews = {c.blobs.back().ref};
  c.record.intake = {{"loss_stage", "norwood-3"},
                     {"phone", "+44 7700 900121"},
                     {"desired_hairline", "soft"},
                     {"health_flags", {"keloid", 7}},  // a damaged entry is left out
                     {"marketing_photo_consent", true}};
  c.record.previewParams = {{"density_per_cm2", 100.0},
                            {"dot_diameter_mm", 0.25},
                            {"session_stage", 3},
                            {"dot_count", 1495},
                            {"years_since_session", 5.0}};
  const auto saved = store->save(c);
  StaffMode mode(*store, [] {});
  ASSERT_TRUE(signIn(mode, admin, "4821"));
  EXPECT_EQ(mode.openRecordView(), nullptr) << "nothing open yet";
  mode.openRecord(saved.id);
  const RecordDetailView* v = mode.openRecordView();
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->clientName, "Dana Moore");
  EXPECT_EQ(v->concernKey, "concern.scar");
  EXPECT_EQ(v->stage, "Norwood III");
  EXPECT_EQ(v->hairlineKey, "hairline.soft");
  EXPECT_EQ(v->densityKey, "") << "skipped: the screen shows a dash";
  ASSERT_TRUE(v->preview.has_value());
  EXPECT_EQ(v->preview->densityPerCm2, "100");
  EXPECT_EQ(v->preview->dotDiameterMm, "0.25");
  EXPECT_EQ(v->preview->dotCount, "1495");
  EXPECT_EQ(v->preview->yearsAged, "5");
  EXPECT_TRUE(v->marketingConsent);
  EXPECT_EQ(v->healthFlagKeys, std::vector<std::string>{"health.keloid"});
  EXPECT_EQ(v->consentHashShort.size(), 12u);
  ASSERT_EQ(v->images.count("preview"), 1u) << "decoded, ready for a texture";
  EXPECT_EQ(v->images.at("preview").width, 40);
  EXPECT_EQ(v->images.count("front"), 0u) << "a damaged photo is missing, the record readable";
  EXPECT_EQ(v->statusKey, "");

  mode.setStatus("booked", "Tuesday 10:00");
  v = mode.openRecordView();
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->statusKey, "staff.status_booked");
  EXPECT_EQ(v->statusNote, "Tuesday 10:00");
  EXPECT_EQ(v->revision, store->loadRecord(saved.id)->revision);
  EXPECT_EQ(v->images.count("preview"), 1u);

  ASSERT_TRUE((mode.armErase(), mode.confirmErase()));
  EXPECT_EQ(mode.openRecordView(), nullptr) << "an erased record is gone from the screen";
}

TEST_F(StaffTest, NoticesCarryTheirToneAndArguments) {
  StaffMode mode(*store, [] {});
  mode.cornerHeld(3s, t0);
  mode.chooseStaff(admin.id);
  for (char d : std::string("1111")) mode.pinDigit(d);
  EXPECT_FALSE(mode.submitPin(t0));
  EXPECT_EQ(mode.notice().tone, Notice::Tone::kWarning);
  EXPECT_EQ(mode.notice().key, "staff.pin_wrong");
  EXPECT_EQ(mode.notice().args, std::vector<std::string>{"4"});
  ASSERT_TRUE(signIn(mode, admin, "4821"));
  EXPECT_TRUE(mode.notice().empty()) << "signing in clears the warning";
  mode.newStaff() = {"Cleo", "2468", "2468", false};
  ASSERT_TRUE(mode.addStaff());
  EXPECT_EQ(mode.notice().tone, Notice::Tone::kSuccess);
  for (char d : std::string("123456789")) mode.pinDigit(d);
  EXPECT_EQ(mode.pinEntered().size(), 0u) << "digits count only on the PIN pad";
}

}  // namespace
}  // namespace smp::core
