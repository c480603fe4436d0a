#include "ooxml/zip_writer.hpp"

#include <zlib.h>

#include <limits>

namespace needsmap::ooxml {

namespace {

constexpr std::size_t piece_bytes = 256 * 1024;
constexpr std::uint32_t zip32_limit = 0xFFFF'FFFF;
constexpr std::uint16_t flags = 0x0008     // sizes and CRC in a data descriptor after the data
                                | 0x0800;  // names in UTF-8
constexpr std::uint16_t deflated = 8;
// Every entry is dated 1 January 1980, the earliest date ZIP can hold: the archive then depends
// only on its content, and says nothing of when it was made.
constexpr std::uint16_t dos_time = 0;
constexpr std::uint16_t dos_date = (0 << 9) | (1 << 5) | 1;

// Little-endian fields, as every number in a ZIP file is.
class Bytes {
 public:
  Bytes& u16(std::uint16_t v) { return put(v, 2); }
  Bytes& u32(std::uint32_t v) { return put(v, 4); }
  Bytes& u64(std::uint64_t v) { return put(v, 8); }
  Bytes& text(std::string_view s) {
    m_bytes.append(s);
    return *this;
  }
  const std::string& str() const { return m_bytes; }

 private:
  Bytes& put(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) m_bytes.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    return *this;
  }
  std::string m_bytes;
};

std::uint32_t clamp32(std::uint64_t v) {
  return v >= zip32_limit ? zip32_limit : static_cast<std::uint32_t>(v);
}

}  // namespace

struct ZipWriter::Deflater {
  z_stream stream{};
  std::uint32_t crc = 0;
  explicit Deflater(int level) {
    // Raw deflate (negative window bits): ZIP keeps its own headers and CRC.
    deflateInit2(&stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  }
  ~Deflater() { deflateEnd(&stream); }
};

ZipWriter::ZipWriter(std::ostream& out) : ZipWriter(out, Options{}) {}

ZipWriter::ZipWriter(std::ostream& out, Options options)
    : m_out(out), m_options(options), m_deflater(std::make_unique<Deflater>(options.level)) {
  m_deflated.resize(piece_bytes);
}

ZipWriter::~ZipWriter() = default;

void ZipWriter::put(std::string_view bytes) {
  m_out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  m_written += bytes.size();
}

void ZipWriter::begin(std::string_view name) {
  if (m_open) end_entry();
  m_entries.push_back({.name = std::string(name), .offset = m_written});
  deflateReset(&m_deflater->stream);
  m_deflater->crc = static_cast<std::uint32_t>(crc32(0, nullptr, 0));
  Bytes header;
  header.u32(0x04034b50)
      .u16(m_options.zip64 ? 45 : 20)
      .u16(flags)
      .u16(deflated)
      .u16(dos_time)
      .u16(dos_date)
      .u32(0)  // the CRC and sizes follow the data
      .u32(m_options.zip64 ? zip32_limit : 0)
      .u32(m_options.zip64 ? zip32_limit : 0)
      .u16(static_cast<std::uint16_t>(name.size()))
      .u16(m_options.zip64 ? 20 : 0)
      .text(name);
  if (m_options.zip64) header.u16(0x0001).u16(16).u64(0).u64(0);
  put(header.str());
  m_open = true;
}

void ZipWriter::write(std::string_view data) {
  m_pending.append(data);
  if (m_pending.size() >= piece_bytes) deflate_pending(Z_NO_FLUSH);
}

void ZipWriter::deflate_pending(int flush) {
  Entry& entry = m_entries.back();
  z_stream& z = m_deflater->stream;
  // zlib counts in unsigned int; the pieces handed to it stay far below that.
  m_deflater->crc = static_cast<std::uint32_t>(
      crc32(m_deflater->crc, reinterpret_cast<const Bytef*>(m_pending.data()),
            static_cast<uInt>(m_pending.size())));
  entry.size += m_pending.size();
  z.next_in = reinterpret_cast<Bytef*>(m_pending.data());
  z.avail_in = static_cast<uInt>(m_pending.size());
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(m_deflated.data());
    z.avail_out = static_cast<uInt>(m_deflated.size());
    const int status = deflate(&z, flush);
    const std::size_t produced = m_deflated.size() - z.avail_out;
    put(std::string_view(m_deflated.data(), produced));
    entry.compressed += produced;
    if (flush == Z_FINISH ? status == Z_STREAM_END : (z.avail_in == 0 && z.avail_out != 0)) break;
    if (status == Z_STREAM_ERROR) {
      m_out.setstate(std::ios::badbit);
      break;
    }
  }
  m_pending.clear();
}

void ZipWriter::end_entry() {
  deflate_pending(Z_FINISH);
  Entry& entry = m_entries.back();
  entry.crc = m_deflater->crc;
  Bytes descriptor;
  descriptor.u32(0x08074b50).u32(entry.crc);
  if (m_options.zip64) {
    descriptor.u64(entry.compressed).u64(entry.size);
  } else {
    if (entry.compressed >= zip32_limit || entry.size >= zip32_limit ||
        entry.offset >= zip32_limit) {
      m_too_large = true;
    }
    descriptor.u32(clamp32(entry.compressed)).u32(clamp32(entry.size));
  }
  put(descriptor.str());
  m_open = false;
}

Result<void> ZipWriter::finish() {
  if (m_open) end_entry();
  const std::uint64_t directory_offset = m_written;
  const std::uint16_t version = m_options.zip64 ? 45 : 20;
  for (const Entry& e : m_entries) {
    Bytes header;
    header.u32(0x02014b50)
        .u16(static_cast<std::uint16_t>((3 << 8) | version))  // made on Unix
        .u16(version)
        .u16(flags)
        .u16(deflated)
        .u16(dos_time)
        .u16(dos_date)
        .u32(e.crc)
        .u32(m_options.zip64 ? zip32_limit : clamp32(e.compressed))
        .u32(m_options.zip64 ? zip32_limit : clamp32(e.size))
        .u16(static_cast<std::uint16_t>(e.name.size()))
        .u16(m_options.zip64 ? 28 : 0)
        .u16(0)               // comment
        .u16(0)               // disk
        .u16(0)               // internal attributes
        .u32(0100644u << 16)  // a regular file, rw-r--r--
        .u32(m_options.zip64 ? zip32_limit : clamp32(e.offset))
        .text(e.name);
    if (m_options.zip64) header.u16(0x0001).u16(24).u64(e.size).u64(e.compressed).u64(e.offset);
    put(header.str());
  }
  const std::uint64_t directory_size = m_written - directory_offset;
  const std::uint64_t count = m_entries.size();
  Bytes end;
  if (m_options.zip64) {
    const std::uint64_t record_offset = m_written;
    end.u32(0x06064b50)
        .u64(44)  // the size of the rest of this record
        .u16((3 << 8) | 45)
        .u16(45)
        .u32(0)
        .u32(0)
        .u64(count)
        .u64(count)
        .u64(directory_size)
        .u64(directory_offset);
    end.u32(0x07064b50).u32(0).u64(record_offset).u32(1);
  } else if (directory_offset >= zip32_limit || count >= 0xFFFF) {
    m_too_large = true;
  }
  const auto count16 = static_cast<std::uint16_t>(
      std::min<std::uint64_t>(count, std::numeric_limits<std::uint16_t>::max()));
  end.u32(0x06054b50)
      .u16(0)
      .u16(0)
      .u16(count16)
      .u16(count16)
      .u32(clamp32(directory_size))
      .u32(m_options.zip64 ? zip32_limit : clamp32(directory_offset))
      .u16(0);
  put(end.str());
  m_out.flush();
  if (m_too_large) {
    return std::unexpected(Error::invalid("the archive outgrew 4 GiB without ZIP64"));
  }
  if (!m_out) return std::unexpected(Error::io("cannot write the archive"));
  return {};
}

}  // namespace needsmap::ooxml
