// Photos and previews kept as files, addressed by their sha256, outside the database: a
// database holds which blobs exist and who names them; the bytes live here. Keeping media out
// of the database keeps its WAL, its backups and its pages small (ODK Central keeps them in
// PostgreSQL bytea, and its users report swollen WAL and backups).
//
// The interface is what a server needs, so an S3-compatible store can follow (docs/storage.md):
// put is a PUT of the object, parts are a multipart upload, remove is a DELETE.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace smp::server {

// The store could not read or write (disk full, permissions, a damaged file system): the
// request fails with a 5xx, the kiosk keeps its copy and tries again later.
class BlobStoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores bytes whose sha256 the caller has checked: durable when it returns, and atomic (a
  // reader sees the whole blob or none). Storing a blob already held changes nothing.
  virtual void put(const std::string& sha256, std::string_view bytes) = 0;

  // An upload in pieces, named by the caller (one per kiosk and blob): bytes written at an
  // offset, durable when it returns. Writing at an offset before the end overwrites from there
  // (the database, not the file, says how much of an upload is received).
  virtual void writePart(const std::string& uploadName, std::uint64_t offset,
                         std::string_view bytes) = 0;
  // Hashes the first `size` bytes of the part; when they are `sha256`, moves them into place
  // as that blob. Returns the hash it found; the part is gone either way.
  virtual std::string completePart(const std::string& uploadName, std::uint64_t size,
                                   const std::string& sha256) = 0;
  virtual void discardPart(const std::string& uploadName) = 0;

  virtual bool contains(const std::string& sha256) = 0;
  virtual std::optional<std::string> read(const std::string& sha256) = 0;
  // Removes a blob (an erasure): its bytes are overwritten before the file goes, as the
  // database's secure_delete does for rows. Removing a missing blob is not an error.
  virtual void remove(const std::string& sha256) = 0;
  // Every blob held, for the startup check; stops when `fn` returns false.
  virtual void forEach(const std::function<bool(const std::string& sha256)>& fn) = 0;
};

// Blobs in a folder: blobs/ab/cd/<sha256>, written to a temporary file in the same folder,
// fsynced, renamed into place and the folder fsynced, so a crash leaves the whole blob or none.
// Parts of uploads live in blobs/uploads/. Safe for several threads and several processes
// (every write goes to its own temporary file; rename is atomic).
class FileBlobStore final : public BlobStore {
 public:
  // Creates the folder when missing; throws BlobStoreError when it cannot be used.
  explicit FileBlobStore(std::filesystem::path root);
  const std::filesystem::path& root() const { return m_root; }
  std::filesystem::path pathOf(const std::string& sha256) const;

  void put(const std::string& sha256, std::string_view bytes) override;
  void writePart(const std::string& uploadName, std::uint64_t offset,
                 std::string_view bytes) override;
  std::string completePart(const std::string& uploadName, std::uint64_t size,
                           const std::string& sha256) override;
  void discardPart(const std::string& uploadName) override;
  bool contains(const std::string& sha256) override;
  std::optional<std::string> read(const std::string& sha256) override;
  void remove(const std::string& sha256) override;
  void forEach(const std::function<bool(const std::string& sha256)>& fn) override;

 private:
  std::filesystem::path partPath(const std::string& uploadName) const;
  // Renames `from` to the blob's place, creating its folders, and makes the rename durable.
  void moveIntoPlace(const std::filesystem::path& from, const std::string& sha256);

  std::filesystem::path m_root;
};

}  // namespace smp::server
