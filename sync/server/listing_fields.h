// The fields of a consultation record that head office's tables filter, sort and count on,
// copied out of the record when it is stored (the PostgreSQL backend; SQLite's triggers do the
// same in SQL), so a page of 100,000 records never parses 100,000 JSON documents.
#pragma once

#include <string>

namespace smp::server {

struct ListingFields {
  // Empty when the record does not have the field as a string.
  std::string createdAt, clientName, concern, phone, email, lossStage;
  std::string consentSha256;  // the consent text signed (consent_text_sha256)
  std::string createdWeek;    // the Monday (YYYY-MM-DD) of created_at's date; empty if no date
  int healthFlagCount = 0;    // entries of intake.health_flags
};

// Never throws: a record that does not parse gives empty fields.
ListingFields listingFieldsOf(const std::string& recordJson);

// "2026-12-03T10:00:00Z" -> "2026-11-30" (weeks start on Monday); empty when the text does not
// start with a real date.
std::string mondayOf(const std::string& isoDate);

}  // namespace smp::server
