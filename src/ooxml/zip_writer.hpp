// A ZIP archive written front to back into a std::ostream, never seeking: each entry's sizes and
// CRC follow its data in a data descriptor (APPNOTE 4.3.9), so an archive can go straight into a
// download while it is being made. Entries are deflated with zlib at the level given (1, the
// fastest, by default: an export is read once, and speed matters more than a third in size).
// ZIP64 records (APPNOTE 4.5.3) are written when asked for, for entries that may pass 4 GiB.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace needsmap::ooxml {

class ZipWriter {
 public:
  struct Options {
    int level = 1;       // zlib's deflate level, 0 to 9
    bool zip64 = false;  // ZIP64 sizes and offsets for every entry
  };
  explicit ZipWriter(std::ostream& out);
  ZipWriter(std::ostream& out, Options options);
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Starts an entry; the previous one, if any, is finished first.
  void begin(std::string_view name);
  // Adds data to the current entry.
  void write(std::string_view data);
  // Finishes the last entry and writes the central directory. Fails if the stream failed or an
  // entry or the archive outgrew plain ZIP without ZIP64.
  Result<void> finish();

 private:
  struct Entry {
    std::string name;
    std::uint32_t crc = 0;
    std::uint64_t compressed = 0;
    std::uint64_t size = 0;
    std::uint64_t offset = 0;
  };
  void end_entry();
  void deflate_pending(int flush);
  void put(std::string_view bytes);

  std::ostream& m_out;
  Options m_options;
  struct Deflater;
  std::unique_ptr<Deflater> m_deflater;
  std::vector<Entry> m_entries;
  bool m_open = false;
  bool m_too_large = false;
  std::uint64_t m_written = 0;
  std::string m_pending;  // data not yet deflated, held to deflate in large pieces
  std::string m_deflated;
};

}  // namespace needsmap::ooxml
