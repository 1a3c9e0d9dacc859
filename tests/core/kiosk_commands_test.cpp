// Headless kiosk commands against a real head-office server on 127.0.0.1 and real SQLite files.
#include "app/core/kiosk_commands.h"

#include <gtest/gtest.h>

#include <set>

#include "app/core/consultation_service.h"
#include "app/core/kiosk_settings.h"
#include "app/core/sample_portrait.h"
#include "app/core/store_outbox.h"
#include "app/imageio/image_io.h"
#include "app/vision/photo_analysis.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/sha256.h"
#include "tests/support/sample_records.h"
#include "tests/support/test_server.h"

namespace smp::core {
namespace {

std::filesystem::path assets() { return std::filesystem::path(SMP_SOURCE_DIR) / "assets"; }

class CommandsTest : public ::testing::Test {
 protected:
  test::TempDir dataDir;
  test::TestServer server;
  std::unique_ptr<store::KioskStore> store = [this] {
    ensureDataDir(dataDir.path());
    return std::make_unique<store::KioskStore>(databasePath(dataDir.path()));
  }();
};

TEST_F(CommandsTest, EnrollStoresTheIdentityTheServerConfirms) {
  const auto k = server.storage().addKiosk("Manchester");
  const auto info = enroll(*store, server.url(), k.token);
  EXPECT_EQ(info.kioskId, k.kioskId);
  EXPECT_EQ(store->setting(kSettingClinic), "Manchester");
  EXPECT_EQ(endpointFor(*store, "").baseUrl, server.url());
}

// Sealing at rest (issue 10): the store key goes to head office at enrolment and comes back
// after every restart, before the kiosk reads a record to send it.
TEST_F(CommandsTest, ARestartedKioskFetchesItsStoreKeyBeforeItSendsAnything) {
  const auto k = server.storage().addKiosk("Leeds");
  const std::string path = databasePath(dataDir.path());
  enroll(*store, server.url(), k.token);
  EXPECT_FALSE(store->secretKeyOnDisk().has_value()) << "head office holds it now";
  EXPECT_NE(store->keyEscrowedAt(), "");
  EXPECT_TRUE(server.storage().escrowedStoreKey({k.kioskId, "Leeds"}).has_value());

  store.reset();  // the kiosk restarts: the key is nowhere on it
  store = std::make_unique<store::KioskStore>(path);
  ASSERT_TRUE(store->sealed());
  const auto saved = store->save(test::consultationToSave("Ana", "photo-ana"));
  EXPECT_THROW(store->loadRecord(saved.id), store::StoreError);
  // syncOnce opens a connection of its own, as 'smp-kiosk sync --once' does in its own process.
  const auto report = syncOnce(dataDir.path(), endpointFor(*store, ""));
  EXPECT_EQ(report.outcome, sync::PassOutcome::kAllAcknowledged) << report.message;
  int atHeadOffice = 0;
  server.storage().forEachConsultation([&](const server::StoredConsultation& c) {
    atHeadOffice += c.id == saved.id && c.record.value("client_name", "") == "Ana";
  });
  EXPECT_EQ(atHeadOffice, 1);
}

TEST_F(CommandsTest, TheKeyTheSyncConnectionFetchesUnsealsTheStaffScreensToo) {
  const auto k = server.storage().addKiosk("Leeds");
  const std::string path = databasePath(dataDir.path());
  enroll(*store, server.url(), k.token);
  store->save(test::consultationToSave("Ana", "photo-ana"));
  // Restarted as KioskRuntime wires it: the UI's and the worker's connections share keys.
  auto keys = std::make_shared<store::StoreKeys>();
  store = std::make_unique<store::KioskStore>(path, keys);
  ASSERT_TRUE(store->sealed());
  ASSERT_TRUE(store->listConsultations({}).front().sealed);
  StoreOutbox outbox(path, keys);
  sync::SyncClient client(endpointFor(*store, ""));
  EXPECT_EQ(client.pushOnce(outbox).outcome, sync::PassOutcome::kAllAcknowledged);
  EXPECT_FALSE(store->sealed());
  EXPECT_EQ(store->listConsultations({}).front().clientName, "Ana");
}

TEST_F(CommandsTest, WithoutItsKeyAtHeadOfficeAKioskKeepsItsRecordsSealedAndPending) {
  const auto k = server.storage().addKiosk("Leeds");
  const std::string path = databasePath(dataDir.path());
  enroll(*store, server.url(), k.token);
  store->save(test::consultationToSave("Ana", "photo-ana"));
  store = std::make_unique<store::KioskStore>(path);
  // Pointed at a head office that never took this kiosk's key.
  test::TestServer elsewhere;
  const auto stranger = elsewhere.storage().addKiosk("York");
  const auto report = syncOnce(dataDir.path(), {elsewhere.url(), stranger.token, "", ""});
  EXPECT_EQ(report.outcome, sync::PassOutcome::kSealed);
  EXPECT_NE(report.message.find("holds no store key"), std::string::npos) << report.message;
  EXPECT_EQ(store->status().pending, 1) << "nothing dropped";
  EXPECT_EQ(store->status().lastSyncResult.rfind("sealed", 0), 0u) << "staff can see why";
}

TEST_F(CommandsTest, EnrollingAnotherDataFolderWithAKiosksTokenWhoseKeyIsHeldIsRefused) {
  const auto k = server.storage().addKiosk("Leeds");
  enroll(*store, server.url(), k.token);
  test::TempDir wiped;  // the same kiosk's token on a new (or wiped) machine
  store::KioskStore fresh(wiped / "kiosk.sqlite");
  try {
    enroll(fresh, server.url(), k.token);
    FAIL() << "a second key was accepted for one kiosk";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("smp-server kiosk add"), std::string::npos) << e.what();
  }
  EXPECT_EQ(fresh.setting(kSettingToken), std::nullopt) << "nothing stored";
  EXPECT_TRUE(fresh.secretKeyOnDisk().has_value()) << "and its own key kept";
}

// Issue 13: a client who asks head office to be forgotten is forgotten on the kiosk too.
TEST_F(CommandsTest, AnErasureDecidedAtHeadOfficeRemovesTheKiosksCopyOnItsNextSync) {
  const auto k = server.storage().addKiosk("Leeds");
  enroll(*store, server.url(), k.token);
  const auto gone = store->save(test::consultationToSave("Gone", "photo-gone"));
  const auto kept = store->save(test::consultationToSave("Kept", "photo-kept"));
  const auto edited = store->save(test::consultationToSave("Edited", "photo-edited"));
  ASSERT_EQ(syncOnce(dataDir.path(), endpointFor(*store, "")).outcome,
            sync::PassOutcome::kAllAcknowledged);
  // Staff edit one after it was sent: a new revision waits to go.
  store->revise(edited.id, nlohmann::json{{"norwood", "IV"}}, "staff-1");
  std::string erasedAt;
  ASSERT_EQ(server.storage().eraseAtHeadOffice(gone.id, erasedAt), k.kioskId);
  ASSERT_EQ(server.storage().eraseAtHeadOffice(edited.id, erasedAt), k.kioskId);

  const auto report = syncOnce(dataDir.path(), endpointFor(*store, ""));
  EXPECT_EQ(report.outcome, sync::PassOutcome::kAllAcknowledged) << report.message;
  EXPECT_FALSE(store->loadRecord(gone.id).has_value());
  EXPECT_FALSE(store->loadBlob(gone.photos[0].sha256).has_value()) << "the photo goes too";
  EXPECT_TRUE(store->isErased(gone.id));
  EXPECT_FALSE(store->loadRecord(edited.id).has_value()) << "and its unsent revision never goes";
  EXPECT_TRUE(store->loadRecord(kept.id).has_value());
  EXPECT_TRUE(store->pendingOutbox().empty()) << "nothing to tell head office: it decided";
  EXPECT_EQ(store->auditCount("consultation.erase", "2000-01-01"), 2);
  // Orders are carried out once: the next pass finds none.
  EXPECT_EQ(syncOnce(dataDir.path(), endpointFor(*store, "")).outcome,
            sync::PassOutcome::kAllAcknowledged);
  EXPECT_EQ(store->auditCount("consultation.erase", "2000-01-01"), 2);
}

TEST(ServerUrl, AcceptsOnlyHttpHostAndPort) {
  for (const char* good : {"http://127.0.0.1:8080", "https://head-office.example.com",
                           "https://a:1/", "http://localhost:8787"}) {
    EXPECT_NO_THROW(validateServerUrl(good)) << good;
  }
  for (const char* bad :
       {"", "127.0.0.1:8080", "ftp://x", "http://", "https://x:0", "https://x:99999",
        "https://x:80/path", "https://x y", "https://x:port"}) {
    EXPECT_THROW(validateServerUrl(bad), std::invalid_argument) << bad;
  }
}

TEST(ServerUrl, PlainHttpOnlyToThisMachine) {
  // Issue 10: a kiosk accepted http:// to any host, sending its token and photos in clear.
  for (const char* clear : {"http://head-office.example.com", "http://10.0.0.5:8080", "http://a:1/",
                            "http://127example.com", "http://127.0.0.1.evil.example"}) {
    try {
      validateServerUrl(clear);
      ADD_FAILURE() << clear;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("must use https://"), std::string::npos) << e.what();
    }
  }
}

TEST_F(CommandsTest, RetentionFromHeadOfficesConfigPurgesTheKiosksCopy) {
  const nlohmann::json config = {
      {"languages", {"en"}},
      {"consent_texts", {{"en", {{"version", "v1"}, {"text", "..."}}}}},
      {"price_list", nlohmann::json::array()},
      {"idle_timeouts", {{"warning_seconds", 60}, {"reset_seconds", 20}}},
      {"retention_days", 30}};
  protocol::validateConfig(config);
  server.storage().setConfig(config);
  const auto k = server.storage().addKiosk("Leeds");
  enroll(*store, server.url(), k.token);
  const auto saved = store->save(test::consultationToSave("Ana", "photo-ana"));
  ASSERT_EQ(syncOnce(dataDir.path(), endpointFor(*store, "")).outcome,
            sync::PassOutcome::kAllAcknowledged);
  ASSERT_EQ(retentionDays(*store), 30) << "the config arrived with the sync";
  const auto row = store->listConsultations({}).front();
  ASSERT_EQ(row.syncState, "synced");
  const auto acknowledged = protocol::parseIso8601Utc(row.acknowledgedAt);
  ASSERT_TRUE(acknowledged.has_value()) << row.acknowledgedAt;
  EXPECT_EQ(keptUntil(*store, row.acknowledgedAt),
            protocol::iso8601Utc(*acknowledged + std::chrono::hours(24 * 30)).substr(0, 10));

  EXPECT_EQ(applyRetention(*store, *acknowledged + std::chrono::hours(24 * 29)), 0);
  EXPECT_TRUE(store->loadRecord(saved.id).has_value());
  EXPECT_EQ(applyRetention(*store, *acknowledged + std::chrono::hours(24 * 31)), 1);
  EXPECT_FALSE(store->loadRecord(saved.id).has_value());
  EXPECT_EQ(store->listConsultations({}).front().syncState, "purged");
  EXPECT_TRUE(server.storage().hasBlob(protocol::sha256Hex("photo-ana")))
      << "head office keeps its copy";
  EXPECT_EQ(syncOnce(dataDir.path(), endpointFor(*store, "")).outcome,
            sync::PassOutcome::kAllAcknowledged)
      << "a purged record never needs sending again";
}

TEST(Iso8601, RoundTripsAndRefusesOtherShapes) {
  const auto t = protocol::parseIso8601Utc("2026-11-21T10:00:00Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(protocol::iso8601Utc(*t), "2026-11-21T10:00:00Z");
  for (const char* bad : {"", "2026-11-21", "2026-11-21T10:00:00", "2026-11-21T10:00:00+01:00",
                          "2026-11-21T10:00:00Zjunk"}) {
    EXPECT_FALSE(protocol::parseIso8601Utc(bad).has_value()) << bad;
  }
}

TEST_F(CommandsTest, EnrollRefusesBadInputClearly) {
  EXPECT_THROW(enroll(*store, "ftp://x", "smpk_0123456789abcdef"), std::invalid_argument);
  EXPECT_THROW(enroll(*store, server.url(), "short"), std::invalid_argument);
  try {
    enroll(*store, server.url(), "smpk_0123456789abcdef0123");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("refused this token"), std::string::npos);
  }
  EXPECT_FALSE(store->setting(kSettingToken).has_value());
}

TEST_F(CommandsTest, DemoThenSyncDeliversEveryRecordAndPhoto) {
  const auto k = server.storage().addKiosk("Leeds");
  enroll(*store, server.url(), k.token);
  EXPECT_EQ(createDemoConsultations(*store, assets(), 5, std::nullopt), 5);
  EXPECT_EQ(statusJson(*store)["pending"], 5);
  const auto report = syncOnce(dataDir.path(), endpointFor(*store, ""));
  EXPECT_EQ(report.outcome, sync::PassOutcome::kAllAcknowledged) << report.message;
  EXPECT_EQ(report.acknowledged, 5);
  const auto status = statusJson(*store);
  EXPECT_EQ(status["pending"], 0);
  EXPECT_EQ(status["records"], 5);
  std::set<std::string> serverPhotos;
  server.storage().forEachConsultation([&](const server::StoredConsultation& c) {
    for (const auto& p : c.record["photos"]) serverPhotos.insert(p["sha256"].get<std::string>());
  });
  for (const auto& id : store->consultationIds()) {
    const auto r = store->loadRecord(id);
    EXPECT_EQ(serverPhotos.count(r->photos[0].sha256), 1u);
    EXPECT_TRUE(server.storage().hasBlob(r->previews[0].sha256));
  }
  // A second pass has nothing to do and still reports success.
  EXPECT_EQ(syncOnce(dataDir.path(), endpointFor(*store, "")).outcome,
            sync::PassOutcome::kAllAcknowledged);
}

TEST_F(CommandsTest, OfflineKeepsEverythingPending) {
  createDemoConsultations(*store, assets(), 2, std::nullopt);
  store->setSetting(kSettingToken, "smpk_anything_long_enough");
  const auto report = syncOnce(dataDir.path(), endpointFor(*store, "http://127.0.0.1:1"));
  EXPECT_EQ(report.outcome, sync::PassOutcome::kOffline);
  EXPECT_EQ(statusJson(*store)["pending"], 2);
  EXPECT_NE(statusJson(*store)["last_sync_result"].get<std::string>().find("offline"),
            std::string::npos);
}

TEST_F(CommandsTest, RevokedOrWrongTokenAsksForReenrolmentAndDropsNothing) {
  createDemoConsultations(*store, assets(), 2, std::nullopt);
  store->setSetting(kSettingToken, "smpk_not_a_real_token_at_all");
  const auto report = syncOnce(dataDir.path(), endpointFor(*store, server.url()));
  EXPECT_EQ(report.outcome, sync::PassOutcome::kUnauthorized);
  EXPECT_NE(report.message.find("re-enrolled"), std::string::npos);
  EXPECT_EQ(statusJson(*store)["pending"], 2);
}

TEST_F(CommandsTest, NotEnrolledIsReportedNotCrashed) {
  createDemoConsultations(*store, assets(), 1, std::nullopt);
  EXPECT_EQ(syncOnce(dataDir.path(), endpointFor(*store, "")).outcome,
            sync::PassOutcome::kNotConfigured);
}

TEST_F(CommandsTest, DemoUsesPhotosFromAFolder) {
  test::TempDir photos;
  imageio::saveRgb(photos / "a.png", samplePortrait(320, 240, 2, 1));
  createDemoConsultations(*store, assets(), 3, photos.path());
  EXPECT_EQ(statusJson(*store)["records"], 3);
  test::TempDir empty;
  EXPECT_THROW(createDemoConsultations(*store, assets(), 1, empty.path()), std::invalid_argument);
}

// A client who came to hide a scar, with a small generated photo.
ConsultationDraft scarClientDraft() {
  ConsultationDraft d;
  d.clientName = "Alex";
  d.concern = "scar";
  d.consentGiven = true;
  d.frontPhoto = samplePortrait(320, 240, 5, 3);
  d.guide = defaultGuide(320, 240);
  return d;
}

TEST_F(CommandsTest, ServiceStoresAnEngineRenderedPreviewWithoutExif) {
  ConsultationService service(*store, assets(), "kiosk-x");
  ConsultationDraft d = scarClientDraft();
  const auto r = service.save(d);
  const auto photo = store->loadBlob(r.photos[0].sha256);
  const auto preview = store->loadBlob(r.previews[0].sha256);
  ASSERT_TRUE(photo && preview);
  EXPECT_NE(*photo, *preview);  // the preview carries the dots
  EXPECT_GT(r.previewParams["dot_count"].get<int>(), 100);
  // JPEG from our encoder: SOI then JFIF APP0, never an EXIF APP1 segment.
  EXPECT_EQ((*photo)[0], 0xFF);
  EXPECT_EQ((*photo)[1], 0xD8);
  const std::string head(photo->begin(), photo->begin() + 64);
  EXPECT_EQ(head.find("Exif"), std::string::npos);
  d.consentGiven = false;
  EXPECT_THROW(service.save(d), std::invalid_argument);
}

// The consent a client reads is head office's published text in their language once the kiosk
// has pulled it (else the shipped one), and the record keeps the hash of the text that was on
// screen when they agreed, even if head office publishes another before they finish.
TEST_F(CommandsTest, TheConsentShownIsHeadOfficesPublishedTextAndTheRecordKeepsWhatWasAgreedTo) {
  ConsultationService service(*store, assets(), "kiosk-x");
  const ConsentText shipped = service.consent("es");
  EXPECT_EQ(shipped.sha256, loadConsentText(assets(), "es").sha256);
  EXPECT_EQ(shipped.sha256, protocol::consentTextSha256(shipped.version, shipped.text))
      << "the shipped file and head office's texts hash the same way";
  store->setSetting(kSettingConfig,
                    nlohmann::json{{"consent_texts",
                                    {{"es", {{"version", "es-2027-01"}, {"text", "Texto nuevo"}}},
                                     {"fr", {{"version", ""}, {"text", "sans version"}}}}}}
                        .dump());
  const ConsentText published = service.consent("es");
  EXPECT_EQ(published.version, "es-2027-01");
  EXPECT_EQ(published.text, "Texto nuevo");
  EXPECT_EQ(published.sha256, protocol::consentTextSha256("es-2027-01", "Texto nuevo"));
  EXPECT_EQ(service.consent("fr").sha256, loadConsentText(assets(), "fr").sha256)
      << "a text without a version is not shown";
  EXPECT_EQ(service.consent("en").sha256, loadConsentText(assets(), "en").sha256);

  ConsultationDraft agreed = scarClientDraft();
  agreed.language = "es";
  EXPECT_EQ(service.save(agreed).consentTextSha256, published.sha256);
  agreed.consentTextSha256 = shipped.sha256;  // on screen when they ticked the box
  EXPECT_EQ(service.save(agreed).consentTextSha256, shipped.sha256);
}

// Marked scars travel with the record, so staff's "re-run preview" covers them as the client
// saw; a damaged stored mark is skipped, not fatal; a retake drops marks made on the old photo.
TEST_F(CommandsTest, MarkedScarsAreStoredAndReRenderedFromTheRecord) {
  ConsultationService service(*store, assets(), "kiosk-x");
  ConsultationDraft d = scarClientDraft();
  d.preview.marks = {engine::MarkStroke{{{150, 60}, {170, 62}}, 6}};
  const auto r = service.save(d);
  ASSERT_TRUE(r.previewParams.contains("marks"));
  EXPECT_EQ(r.previewParams["marks"][0]["radius_px"], 6.0);
  EXPECT_EQ(r.previewParams["marks"][0]["points"][1][0], 170.0);
  const auto again = service.rerender(r.id, std::nullopt, "staff");
  EXPECT_EQ(again.previewParams["marks"], r.previewParams["marks"]);
  // The re-run drew the marks: its dots are those of the stored photo rendered with them.
  const auto stored = imageio::decodeRgb(*store->loadBlob(r.photos[0].sha256), "front");
  const HeadGuide guide = defaultGuide(320, 240);
  engine::PreviewParams withMarks = previewParamsFor(d);
  engine::PreviewParams without = withMarks;
  without.marks.clear();
  const auto marked = vision::renderAutomaticPreview(stored, guide, withMarks).dots.size();
  const auto plain = vision::renderAutomaticPreview(stored, guide, without).dots.size();
  EXPECT_GT(marked, plain);
  EXPECT_EQ(again.previewParams["dot_count"].get<std::size_t>(), marked);
  // A damaged stored mark (no points, a radius out of range, a NaN-free but absurd point) is
  // skipped; the good one is still drawn and nothing throws.
  store->revise(
      r.id,
      [](protocol::ConsultationRecord& rec) {
        auto& marks = rec.previewParams["marks"];
        marks.push_back({{"radius_px", 6.0}});
        marks.push_back({{"radius_px", 1e9}, {"points", {{1, 1}}}});
        marks.push_back({{"radius_px", 6.0}, {"points", {{1e12, 1}, "x"}}});
        marks.push_back("not a mark");
        marks.push_back({{"radius_px", "six"}, {"points", {{1, 1}}}});
      },
      "test");
  const auto repaired = service.rerender(r.id, std::nullopt, "staff");
  EXPECT_EQ(repaired.previewParams["marks"], r.previewParams["marks"]);
  const auto retaken = service.rerender(r.id, samplePortrait(320, 240, 5, 3), "staff");
  EXPECT_FALSE(retaken.previewParams.contains("marks"));
}

// A patch marked on the crown (the top photo's preview) is part of the record, not only drawn
// into the crown's preview image; staff's re-run of the front keeps it with the crown.
TEST_F(CommandsTest, TheCrownsMarksAndHairlineAreStoredWithTheRecord) {
  ConsultationService service(*store, assets(), "kiosk-x");
  ConsultationDraft d = scarClientDraft();
  const MannequinHair hair{95, 70, 50, 3};
  d.topPhoto = sampleTopOfHead(320, 240, 3, 2, hair);
  d.topEdits.marks = {engine::MarkStroke{{{150, 100}, {170, 104}}, 8}};
  d.topEdits.hairlineControls =
      std::vector<engine::ControlPoint>{{100, 190}, {160, 200}, {220, 190}};
  d.preview.marks = {engine::MarkStroke{{{150, 60}}, 6}};
  const auto r = service.save(d);
  ASSERT_TRUE(r.previewParams.contains("top")) << r.previewParams.dump();
  const auto& top = r.previewParams["top"];
  ASSERT_EQ(top["marks"].size(), 1u);
  EXPECT_EQ(top["marks"][0]["radius_px"], 8.0);
  EXPECT_EQ(top["marks"][0]["points"][1][0], 170.0);
  EXPECT_EQ(top["hairline_controls"].size(), 3u);
  EXPECT_EQ(top["guide"]["radius_x"], defaultGuide(320, 240).radiusX);
  EXPECT_GT(top["dot_count"].get<int>(), 0);
  EXPECT_EQ(r.previewParams["marks"].size(), 1u) << "the front keeps its own marks";
  EXPECT_EQ(r.previewParams["marks"][0]["radius_px"], 6.0);
  // The front's re-run replaces the front's parameters and keeps the crown's.
  const auto again = service.rerender(r.id, std::nullopt, "staff");
  EXPECT_EQ(again.previewParams["top"], top);
  const auto retaken = service.rerender(r.id, samplePortrait(320, 240, 5, 3), "staff");
  EXPECT_EQ(retaken.previewParams["top"], top);
  EXPECT_FALSE(retaken.previewParams.contains("marks"));
  // Without a top photo there is nothing of the crown to keep.
  ConsultationDraft frontOnly = scarClientDraft();
  EXPECT_FALSE(service.save(frontOnly).previewParams.contains("top"));
}

// Scalp added and removed by touch is stored with its kind and drawn again by staff's re-run;
// a record from before kinds existed reads its marks as scars, and an unknown kind is skipped.
TEST_F(CommandsTest, ScalpEditsAreStoredWithTheirKindAndReRendered) {
  ConsultationService service(*store, assets(), "kiosk-x");
  ConsultationDraft d = scarClientDraft();
  d.preview.marks = {engine::MarkStroke{{{160, 40}}, 12, engine::MarkKind::kRemoveScalp},
                     engine::MarkStroke{{{150, 60}}, 6, engine::MarkKind::kScar}};
  const auto r = service.save(d);
  EXPECT_EQ(r.previewParams["marks"][0]["kind"], "remove_scalp");
  EXPECT_EQ(r.previewParams["marks"][1]["kind"], "scar");
  const auto again = service.rerender(r.id, std::nullopt, "staff");
  EXPECT_EQ(again.previewParams["marks"], r.previewParams["marks"]);
  const auto stored = imageio::decodeRgb(*store->loadBlob(r.photos[0].sha256), "front");
  engine::PreviewParams edited = previewParamsFor(d);
  engine::PreviewParams scarOnly = edited;
  scarOnly.marks.erase(scarOnly.marks.begin());
  const HeadGuide guide = defaultGuide(320, 240);
  const auto withEdit = vision::renderAutomaticPreview(stored, guide, edited).dots.size();
  EXPECT_LT(withEdit, vision::renderAutomaticPreview(stored, guide, scarOnly).dots.size())
      << "the removed scalp takes no dots";
  EXPECT_EQ(again.previewParams["dot_count"].get<std::size_t>(), withEdit)
      << "the re-run removed the same scalp";
  store->revise(
      r.id,
      [](protocol::ConsultationRecord& rec) {
        auto& marks = rec.previewParams["marks"];
        marks[1].erase("kind");  // as stored before kinds existed
        marks.push_back({{"radius_px", 6.0}, {"points", {{1, 1}}}, {"kind", "paint"}});
        marks.push_back({{"radius_px", 6.0}, {"points", {{1, 1}}}, {"kind", 3}});
      },
      "test");
  const auto read = service.rerender(r.id, std::nullopt, "staff");
  ASSERT_EQ(read.previewParams["marks"].size(), 2u) << "unknown kinds are skipped";
  EXPECT_EQ(read.previewParams["marks"][1]["kind"], "scar");
}

}  // namespace
}  // namespace smp::core
