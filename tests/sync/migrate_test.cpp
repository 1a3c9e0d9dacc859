// smp-server migrate: a SQLite head office with kiosks, revisions, erasures (both ways),
// photos, accounts, audit and config moves to a real PostgreSQL, and the export is the same
// bytes before and after; a second run changes nothing; a damaged photo is named, not copied.
#include <gtest/gtest.h>

#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

#include "sync/protocol/sha256.h"
#include "sync/server/export.h"
#include "sync/server/migrate_to_postgres.h"
#include "sync/server/postgres_server_storage.h"
#include "sync/server/sqlite_server_storage.h"
#include "tests/support/postgres_cluster.h"
#include "tests/support/sample_records.h"
#include "tests/support/temp_dir.h"

namespace smp::server {
namespace {

namespace fs = std::filesystem;

std::string exported(ServerStorage& storage, ExportFormat format) {
  std::ostringstream out;
  exportConsultations(storage, format, out);
  return out.str();
}

// Sends one record the way the sync API stores it: its photo first, then the revision.
void send(SqliteServerStorage& s, const KioskIdentity& kiosk, protocol::ConsultationRecord r,
          const std::string& photo) {
  const auto chunk = s.putChunk(kiosk, protocol::sha256Hex(photo), photo.size(), 0, photo, {});
  ASSERT_TRUE(chunk.result == ChunkResult::kCompleted ||
              chunk.result == ChunkResult::kAlreadyPresent);
  std::string at;
  ASSERT_EQ(s.putConsultation(kiosk, r.id, r.kioskSeq, r.revision, r.contentSha256(),
                              r.toJson().dump(), r.blobHashes(), at),
            PutResult::kStored);
}

class MigrateToPostgres : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteServerStorage s(db);
    const auto leeds = s.addKiosk("Leeds");
    const auto york = s.addKiosk("York");
    const KioskIdentity l = *s.kioskForToken(leeds.token);
    const KioskIdentity y = *s.kioskForToken(york.token);
    for (int i = 1; i <= 6; ++i) {
      auto r = test::recordNaming("photo " + std::to_string(i), i);
      r.clientName = "Client " + std::to_string(i);
      r.intake = {
          {"phone", "0113 496 000" + std::to_string(i)},
          {"loss_stage", "norwood-" + std::to_string(i % 4 + 2)},
          {"health_flags", i % 2 ? nlohmann::json::array({"keloid"}) : nlohmann::json::array()}};
      send(s, i % 3 ? l : y, r, "photo " + std::to_string(i));
      ids.push_back(r.id);
      if (i == 2) {  // an edit: revision 2 becomes current, revision 1 stays in the history
        r.revision = 2;
        r.clientName = "Client 2 (edited)";
        send(s, l, r, "photo 2");
      }
    }
    std::string at;
    ASSERT_TRUE(s.eraseConsultation(l, ids[0], at));  // the kiosk erased one
    ASSERT_TRUE(s.eraseAtHeadOffice(ids[3], at));     // head office erased one (an order)
    s.setConfig({{"languages", {"en", "pl"}}, {"idle_timeout_s", 90}});
    s.recordHeartbeat(l, {{"pending", 0}, {"free_disk_mb", 5120}});
    s.addUser({"", "ana", OfficeRole::kAnalyst, {}, false, "", "$argon2id$fake"});
    s.audit({"", "ana", "consultation.view", ids[1], ""});
    s.escrowStoreKey(l, std::string(64, 'a'), std::string(64, 'b'));
    ASSERT_TRUE(s.addFollowUp({true, {}}, ids[1], "contacted", "No answer", "ana"));
    ASSERT_TRUE(s.addFollowUp({true, {}}, ids[1], "booked", "Booked for 12 Jan", "ana"));
    before = exported(s, ExportFormat::kJsonl);
    beforeCsv = exported(s, ExportFormat::kCsv);
  }

  test::TempDir dir;
  fs::path db = dir / "head-office.sqlite";
  test::PostgresDatabase pg;
  std::vector<std::string> ids;
  std::string before, beforeCsv;
};

TEST_F(MigrateToPostgres, EverythingArrivesAndTheExportIsTheSameBytes) {
  const auto report = migrateSqliteToPostgres(db, pg.uri(), dir / "pg-blobs");
  EXPECT_TRUE(report.complete());
  EXPECT_TRUE(report.badBlobs.empty());
  EXPECT_EQ(report.blobsCopied, 4) << "photos 2, 3, 5 and 6: the erased records' photos went";
  for (const auto& t : report.tables) {
    EXPECT_EQ(t.target, t.source) << t.name;
    if (t.name == "consultations") {
      EXPECT_EQ(t.source, 4);
    } else if (t.name == "consultation_revisions") {
      EXPECT_EQ(t.source, 5);
    } else if (t.name == "tombstones") {
      EXPECT_EQ(t.source, 2);
    }
  }

  PostgresServerStorage moved(pg.uri(), {});
  EXPECT_EQ(moved.blobFolder(), fs::absolute(dir / "pg-blobs"));
  EXPECT_EQ(exported(moved, ExportFormat::kJsonl), before);
  EXPECT_EQ(exported(moved, ExportFormat::kCsv), beforeCsv);
  // What the kiosks and the web application rely on came too.
  EXPECT_TRUE(moved.isErased(ids[0]));
  EXPECT_TRUE(moved.isErased(ids[3]));
  const auto kiosks = moved.kiosks();
  ASSERT_EQ(kiosks.size(), 2u);
  const KioskIdentity leeds{kiosks[0].clinic == "Leeds" ? kiosks[0].kioskId : kiosks[1].kioskId,
                            "Leeds"};
  const auto orders = moved.erasureOrders(leeds, 0, 10);  // record 4 was Leeds's
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].consultationId, ids[3]);
  EXPECT_EQ(moved.escrowedStoreKey(leeds), std::string(64, 'b'));
  EXPECT_EQ(moved.config().first["idle_timeout_s"], 90);
  EXPECT_TRUE(moved.userByName("ana"));
  EXPECT_EQ(moved.auditEntries(ids[1], 10).size(), 1u);
  EXPECT_EQ(*moved.blob(protocol::sha256Hex("photo 5")), "photo 5");
  const auto detail = moved.consultation({true, {}}, ids[1]);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->revisions.size(), 2u);
  EXPECT_EQ(detail->row.clientName, "Client 2 (edited)");
  EXPECT_EQ(detail->row.followUp, "booked");
  ASSERT_EQ(detail->followUps.size(), 2u);
  EXPECT_EQ(detail->followUps[1].note, "Booked for 12 Jan");
  ASSERT_EQ(moved.followUpsFor(leeds, 0, 10).size(), 2u) << "record 2 was Leeds's";
  // A new follow-up continues after the copied numbers, so Leeds's kiosk does not miss it.
  const auto next = moved.addFollowUp({true, {}}, ids[1], "treated", "", "ana");
  ASSERT_TRUE(next);
  EXPECT_GT(next->seq, detail->followUps[1].seq);
  EXPECT_EQ(moved.overview({true, {}}, "", "").flagged, 2) << "records 3 and 5 carry a flag";
  // New rows continue after the copied ones.
  moved.audit({"", "ana", "export", "", ""});
  EXPECT_EQ(moved.auditEntries("", 10).size(), 2u);

  // A second run (a first one cut short, or run twice by mistake) changes nothing, not even the
  // follow-up head office has added since (the export carries it).
  const std::string beforeAgain = exported(moved, ExportFormat::kJsonl);
  EXPECT_NE(beforeAgain.find("\"follow_up\":\"treated\""), std::string::npos);
  const auto again = migrateSqliteToPostgres(db, pg.uri(), {});
  EXPECT_TRUE(again.complete());
  EXPECT_EQ(again.blobsCopied, 0);
  EXPECT_EQ(again.blobsPresent, 4);
  EXPECT_EQ(exported(moved, ExportFormat::kJsonl), beforeAgain);
  for (const auto& t : again.tables) {
    if (t.name != "office_audit" && t.name != "follow_up_events") {  // new rows above
      EXPECT_EQ(t.target, t.source) << t.name;
    }
  }
}

TEST_F(MigrateToPostgres, ADamagedPhotoIsNamedAndNotCopied) {
  const std::string sha = protocol::sha256Hex("photo 5");
  const fs::path file = FileBlobStore(dir / "head-office.blobs").pathOf(sha);
  ASSERT_TRUE(fs::exists(file));
  fs::permissions(file, fs::perms::owner_all);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << "not the photo";
  const auto report = migrateSqliteToPostgres(db, pg.uri(), dir / "pg-blobs");
  EXPECT_FALSE(report.complete());
  EXPECT_EQ(report.badBlobs, std::vector<std::string>{sha});
  EXPECT_FALSE(FileBlobStore(dir / "pg-blobs").contains(sha));
}

TEST(MigrateToPostgresErrors, ANewPostgresHeadOfficeNeedsABlobFolder) {
  test::TempDir dir;
  { SqliteServerStorage s(dir / "ho.sqlite"); }
  test::PostgresDatabase pg;
  try {
    migrateSqliteToPostgres(dir / "ho.sqlite", pg.uri(), {});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("--blobs"), std::string::npos) << e.what();
  }
  EXPECT_THROW(migrateSqliteToPostgres(dir / "missing.sqlite", pg.uri(), dir / "b"),
               std::runtime_error);
}

}  // namespace
}  // namespace smp::server

namespace smp::server {
namespace {

// The PostgreSQL schema from every earlier version (as an older smp-server left it) to the
// latest, and a database from a newer server refused with what to do.
TEST(PostgresSchema, EveryEarlierVersionMigratesToTheLatestAndStillStoresRecords) {
  for (int from = 0; from < kPostgresSchemaVersion; ++from) {
    test::TempDir dir;
    test::PostgresDatabase db;
    {
      pqxx::connection c(db.uri());
      pqxx::work w(c);
      w.exec("CREATE TABLE smp_schema(version INTEGER NOT NULL)");
      w.exec_params("INSERT INTO smp_schema(version) VALUES($1)", from);
      for (int v = 0; v < from; ++v) w.exec(postgresMigrations()[static_cast<std::size_t>(v)]);
      w.commit();
    }
    PostgresServerStorage storage(db.uri(), dir / "blobs");
    {
      pqxx::connection c(db.uri());
      EXPECT_EQ(pqxx::nontransaction(c).exec("SELECT version FROM smp_schema")[0][0].as<int>(),
                kPostgresSchemaVersion)
          << "from " << from;
    }
    const auto k = storage.addKiosk("Leeds");
    const KioskIdentity kiosk = *storage.kioskForToken(k.token);
    const auto record = test::recordNaming("photo");
    EXPECT_EQ(storage.putChunk(kiosk, protocol::sha256Hex("photo"), 5, 0, "photo", {}).result,
              ChunkResult::kCompleted);
    std::string at;
    EXPECT_EQ(storage.putConsultation(kiosk, record.id, 1, 1, record.contentSha256(),
                                      record.toJson().dump(), record.blobHashes(), at),
              PutResult::kStored)
        << "from " << from;
  }
}

// Every record's PUT asks which of its blobs the kiosk lacks. A connection caches its plan for
// that, possibly while kiosk_blobs is nearly empty (a new head office): the plan must still
// probe the index once per named blob when the kiosk holds thousands. The NOT EXISTS form it
// replaced was planned, on a nearly empty table, into a hash of all of the kiosk's blobs on
// every record (2.3 ms at 4,000, growing with them).
TEST(PostgresSchema, TheBlobCheckProbesTheIndexWhateverTheTableHeldWhenPlanned) {
  test::TempDir dir;
  test::PostgresDatabase db;
  { PostgresServerStorage storage(db.uri(), dir / "blobs"); }
  pqxx::connection c(db.uri());
  pqxx::nontransaction n(c);
  const auto addBlobs = [&](int from, int to) {
    n.exec_params(
        "INSERT INTO kiosk_blobs(kiosk_id, sha256) SELECT 'k1', md5(i::text) || md5((i + 1)::text) "
        "FROM generate_series($1::int, $2::int) AS i",
        from, to);
  };
  const auto plan = [&] {
    std::string text;
    for (const auto& row : n.exec("EXPLAIN EXECUTE not_held('k1', '{aa,bb,cc,dd}')")) {
      text += row[0].c_str() + std::string("\n");
    }
    return text;
  };
  addBlobs(1, 40);
  n.exec("SET plan_cache_mode = force_generic_plan");
  n.exec(std::string("PREPARE not_held(text, text[]) AS ") + postgresBlobsNotHeldQuery());
  plan();  // the plan is made and cached now, on 40 rows
  addBlobs(41, 4000);
  const std::string cached = plan();
  EXPECT_EQ(cached.find("Hash"), std::string::npos) << cached;
  EXPECT_NE(cached.find("Index Only Scan using kiosk_blobs_pkey"), std::string::npos) << cached;
  // And it answers: which of the named blobs the kiosk lacks, in their order.
  const auto lacking = n.exec_params(
      std::string(postgresBlobsNotHeldQuery()) + " ORDER BY s.n", "k1",
      "{ff," + std::string(n.exec("SELECT md5('7') || md5('8')")[0][0].c_str()) + ",aa}");
  ASSERT_EQ(lacking.size(), 2u);
  EXPECT_EQ(std::string(lacking[0][0].c_str()), "ff");
  EXPECT_EQ(std::string(lacking[1][0].c_str()), "aa");
}

TEST(PostgresSchema, ADatabaseFromANewerServerIsRefusedAndLeftAlone) {
  test::TempDir dir;
  test::PostgresDatabase db;
  { PostgresServerStorage first(db.uri(), dir / "blobs"); }
  {
    pqxx::connection c(db.uri());
    pqxx::nontransaction(c).exec_params("UPDATE smp_schema SET version = $1",
                                        kPostgresSchemaVersion + 1);
  }
  try {
    PostgresServerStorage storage(db.uri(), dir / "blobs");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("run the newer smp-server"), std::string::npos)
        << e.what();
  }
}

TEST(PostgresSchema, AnAddressWithNoServerIsAClearErrorWithoutThePassword) {
  test::TempDir dir;
  try {
    PostgresServerStorage storage(
        "postgresql://smp:hunter2secret@/nowhere?host=" + (dir / "no-socket-here").string(),
        dir / "blobs");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("cannot connect to PostgreSQL"), std::string::npos) << what;
    EXPECT_EQ(what.find("hunter2secret"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace smp::server

namespace smp::server {
namespace {

// Each server remembers who a token belongs to; a token changed anywhere (another server, the
// command line) is forgotten by every server as soon as the change commits.
TEST(PostgresTokenCache, AChangeMadeElsewhereIsForgottenAtOnceAndARevokedKioskIsRefused) {
  test::TempDir dir;
  test::PostgresDatabase db;
  PostgresServerStorage here(db.uri(), dir / "blobs");
  PostgresServerStorage elsewhere(db.uri(), {});
  const auto k = here.addKiosk("Leeds");
  ASSERT_TRUE(here.kioskForToken(k.token));  // now remembered here

  // A change that does not announce itself (a hand-edited row) is not seen: the answer
  // comes from the cache, which is what saves the round trip.
  {
    pqxx::connection c(db.uri());
    pqxx::nontransaction(c).exec_params("UPDATE kiosks SET clinic = 'York' WHERE kiosk_id = $1",
                                        k.kioskId);
  }
  EXPECT_EQ(here.kioskForToken(k.token)->clinic, "Leeds");

  // A revocation by another server reaches this one through NOTIFY.
  const auto before = here.tokenCache().generation();
  ASSERT_TRUE(elsewhere.revokeKiosk(k.kioskId));
  ASSERT_TRUE(here.tokenCache().waitUntilForgotten(before, std::chrono::seconds(10)));
  EXPECT_FALSE(here.kioskForToken(k.token)) << "a revoked kiosk is refused";

  // A new token from another server: the old one stops working here too.
  const auto fresh = elsewhere.rotateKioskToken(k.kioskId);
  ASSERT_TRUE(fresh);
  const auto identity = here.kioskForToken(*fresh);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->clinic, "York");
  EXPECT_FALSE(here.kioskForToken(k.token));
}

}  // namespace
}  // namespace smp::server
