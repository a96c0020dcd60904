#include "OtlpStream.h"

#include "OtlpImport.h"

#include <algorithm>
#include <array>
#include <vector>

namespace pitwall {
namespace {

using json = nlohmann::json;

// Reads from another stream buffer in chunks and knows, for any byte read so far, its line and
// column: the place of a syntax error, and the line where each document of JSON Lines starts.
class CountingBuffer : public std::streambuf {
public:
    explicit CountingBuffer(std::streambuf *source)
        : m_source(source) {}

    size_t position() const { return m_base + size_t(gptr() - eback()); }

    // Line and column (from 1) of byte `at`, which is in the current chunk or at its end.
    std::pair<size_t, size_t> lineAndColumn(size_t at) const {
        at = std::clamp(at, m_base, position());
        const char *begin = eback(), *end = eback() + (at - m_base);
        const size_t line = m_lines + size_t(std::count(begin, end, '\n')) + 1;
        const char *lastNewline =
            std::find(std::make_reverse_iterator(end), std::make_reverse_iterator(begin), '\n')
                .base();
        const size_t lineStart =
            lastNewline != begin ? m_base + size_t(lastNewline - begin) : m_lineStart;
        return {line, at - lineStart + 1};
    }

protected:
    int_type underflow() override {
        if (gptr() < egptr())
            return traits_type::to_int_type(*gptr());
        const char *begin = eback(), *end = egptr();
        m_lines += size_t(std::count(begin, end, '\n'));
        const char *last =
            std::find(std::make_reverse_iterator(end), std::make_reverse_iterator(begin), '\n')
                .base();
        if (last != begin)
            m_lineStart = m_base + size_t(last - begin);
        m_base += size_t(end - begin);
        const std::streamsize got =
            m_source->sgetn(m_chunk.data(), std::streamsize(m_chunk.size()));
        setg(m_chunk.data(), m_chunk.data(), m_chunk.data() + std::max<std::streamsize>(got, 0));
        return got > 0 ? traits_type::to_int_type(*gptr()) : traits_type::eof();
    }

private:
    std::streambuf *m_source;
    std::array<char, 1 << 16> m_chunk{};
    size_t m_base = 0;      // offset of the chunk's first byte
    size_t m_lines = 0;     // newlines before the chunk
    size_t m_lineStart = 0; // offset of the first byte after the last newline before the chunk
};

// What a container is, in the walk around the spans.
enum class Role {
    Request,
    ResourceList,
    ResourceEntry,
    ScopeList,
    ScopeEntry,
    SpanList,
    Skip,
    Capture
};

struct Frame {
    Role role;
    bool array;
    size_t count = 0; // members or elements begun so far
    std::string key;  // the member being read (objects)
};

class Handler : public json::json_sax_t {
public:
    Handler(const std::string &name, std::string prefix, const OtlpStreamReader::Sink &onResource,
            const OtlpStreamReader::Sink &onSpan)
        : m_name(name)
        , m_prefix(std::move(prefix))
        , m_onResource(onResource)
        , m_onSpan(onSpan) {}

    std::string syntaxError; // nlohmann's message; empty: none
    size_t syntaxErrorByte = 0;

    bool null() override { return scalar(nullptr); }
    bool boolean(bool v) override { return scalar(v); }
    bool number_integer(number_integer_t v) override { return scalar(v); }
    bool number_unsigned(number_unsigned_t v) override { return scalar(v); }
    bool number_float(number_float_t v, const string_t &) override { return scalar(v); }
    bool binary(binary_t &) override { return scalar(nullptr); }
    bool string(string_t &v) override {
        if (m_capture.empty())
            return scalar(json(std::move(v)));
        element();
        if (v.size() > OtlpLimits::kMaxStringBytes) {
            m_truncated.push_back(json{{"at", relativePath()}, {"bytes", v.size()}});
            size_t cut = OtlpLimits::kMaxStringBytes;
            while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xc0) == 0x80)
                --cut; // at a UTF-8 boundary
            v.resize(cut);
        }
        account(v.size());
        return add(json(std::move(v)));
    }

    bool key(string_t &k) override {
        Frame &f = m_frames.back();
        ++f.count;
        if (f.role == Role::Capture)
            account(k.size());
        else if (f.role == Role::Request && k == "resourceSpans")
            m_sawResourceSpans = true;
        f.key = std::move(k);
        return true;
    }

    bool start_object(std::size_t) override { return open(false); }
    bool start_array(std::size_t) override { return open(true); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool parse_error(std::size_t position, const std::string &,
                     const json::exception &ex) override {
        syntaxError = ex.what();
        syntaxErrorByte = position;
        return false;
    }

private:
    // The JSON path of what is being read now.
    std::string path() const {
        std::string p = m_prefix;
        for (size_t i = 0; i < m_frames.size(); ++i) {
            const Frame &f = m_frames[i];
            if (f.array)
                p += "[" + std::to_string(f.count ? f.count - 1 : 0) + "]";
            else if (!f.key.empty() || f.count)
                p += "." + f.key;
        }
        return p;
    }
    // The same, from the span (or resource) being captured.
    std::string relativePath() const {
        std::string full = path();
        return full.size() > m_capturePlace.size() + 1 ? full.substr(m_capturePlace.size() + 1)
                                                       : full;
    }

    [[noreturn]] void fail(const std::string &what) const {
        throw OtlpError(m_name + ": " + path() + ": " + what);
    }

    void account(size_t bytes) {
        m_captureBytes += bytes + 8;
        if (m_captureBytes > OtlpLimits::kMaxSpanBytes)
            fail("a span may hold at most " + std::to_string(OtlpLimits::kMaxSpanBytes >> 20) +
                 " MB of text");
    }

    // The role of a value starting here, given its container and the member's name.
    Role roleOfNew() const {
        if (m_frames.empty())
            return Role::Request;
        const Frame &f = m_frames.back();
        switch (f.role) {
        case Role::Request:
            return f.key == "resourceSpans" ? Role::ResourceList : Role::Skip;
        case Role::ResourceList:
            return Role::ResourceEntry;
        case Role::ResourceEntry:
            return f.key == "resource"     ? Role::Capture
                   : f.key == "scopeSpans" ? Role::ScopeList
                                           : Role::Skip;
        case Role::ScopeList:
            return Role::ScopeEntry;
        case Role::ScopeEntry:
            return f.key == "spans" ? Role::SpanList : Role::Skip;
        case Role::SpanList:
            return Role::Capture;
        case Role::Skip:
            return Role::Skip;
        case Role::Capture:
            return Role::Capture;
        }
        return Role::Skip;
    }

    // A value begins in the current container: counts it and checks its type where the
    // structure asks for one.
    Role begin(bool container, bool array, bool isNull = false) {
        if (!m_frames.empty() && m_frames.back().array)
            ++m_frames.back().count;
        const Role role = roleOfNew();
        const bool isObject = container && !array;
        switch (role) {
        case Role::Request:
            if (!isObject)
                fail("not an OTLP trace export: no \"resourceSpans\"");
            break;
        case Role::ResourceList:
        case Role::ScopeList:
        case Role::SpanList:
            if (!array && !isNull)
                fail("expected an array");
            break;
        case Role::ResourceEntry:
        case Role::ScopeEntry:
            if (!isObject)
                fail("expected an object");
            break;
        case Role::Capture:
            if (m_capture.empty() && m_frames.back().role == Role::SpanList && !isObject)
                fail("expected an object");
            break;
        case Role::Skip:
            break;
        }
        return role;
    }

    bool scalar(json v) {
        if (m_capture.empty()) {
            const Role role = begin(false, false, v.is_null());
            if (role == Role::Capture && m_frames.back().role == Role::ResourceEntry) {
                if (!v.is_null())
                    fail("expected an object");
                resourceDone(json::object()); // "resource": null
            }
            return true;
        }
        element();
        account(8);
        return add(std::move(v));
    }

    // A value begins inside a captured array: counted, so that paths name its index.
    void element() {
        if (m_frames.back().array)
            ++m_frames.back().count;
    }

    bool open(bool array) {
        if (int(m_frames.size()) >= OtlpLimits::kMaxJsonDepth)
            fail("nested deeper than " + std::to_string(OtlpLimits::kMaxJsonDepth) +
                 " levels, more than an OTLP export holds");
        if (!m_capture.empty()) {
            element();
            account(8);
            add(array ? json::array() : json::object());
        } else {
            const Role role = begin(true, array);
            if (role == Role::Capture) {
                m_capturePlace = path();
                m_captureRoot = array ? json::array() : json::object();
                m_capture.push_back(&m_captureRoot);
                m_captureBytes = 0;
                m_truncated = json::array();
                m_frames.push_back(Frame{role, array, 0, {}});
                return true;
            }
            m_frames.push_back(Frame{role, array, 0, {}});
            if (role == Role::ResourceEntry) {
                ++m_resource;
                m_resourceSeen = false;
            }
            return true;
        }
        m_frames.push_back(Frame{Role::Capture, array, 0, {}});
        return true;
    }

    bool close() {
        const Frame f = m_frames.back();
        m_frames.pop_back();
        if (f.role == Role::Capture) {
            m_capture.pop_back();
            if (m_capture.empty())
                captured();
            return true;
        }
        if (f.role == Role::Request && !m_sawResourceSpans)
            fail("not an OTLP trace export: no \"resourceSpans\"");
        if (f.role == Role::ResourceEntry && !m_resourceSeen)
            resourceDone(json::object());
        return true;
    }

    // Adds a value to the container being captured.
    bool add(json v) {
        json *parent = m_capture.back();
        json *added = nullptr;
        if (parent->is_array()) {
            parent->push_back(std::move(v));
            added = &parent->back();
        } else {
            added = &(*parent)[m_frames.back().key];
            *added = std::move(v);
        }
        if (added->is_structured())
            m_capture.push_back(added);
        return true;
    }

    void captured() {
        OtlpPiece piece{std::move(m_captureRoot), m_capturePlace, m_resource - 1,
                        std::move(m_truncated)};
        m_captureRoot = nullptr;
        m_truncated = json::array();
        if (m_frames.back().role == Role::ResourceEntry) {
            m_resourceSeen = true;
            m_onResource(std::move(piece));
            for (OtlpPiece &held : m_held)
                m_onSpan(std::move(held));
            m_held.clear();
        } else if (!m_resourceSeen) {
            m_held.push_back(std::move(piece)); // the resource comes later in this entry
        } else {
            m_onSpan(std::move(piece));
        }
    }

    void resourceDone(json attributes) {
        m_resourceSeen = true;
        m_onResource(OtlpPiece{std::move(attributes), path(), m_resource - 1});
        for (OtlpPiece &held : m_held)
            m_onSpan(std::move(held));
        m_held.clear();
    }

    const std::string &m_name;
    std::string m_prefix;
    const OtlpStreamReader::Sink &m_onResource, &m_onSpan;
    std::vector<Frame> m_frames;
    json m_captureRoot;
    std::vector<json *> m_capture; // the containers being built, innermost last
    std::string m_capturePlace;
    size_t m_captureBytes = 0;
    json m_truncated = json::array();
    size_t m_resource = 0; // resource entries begun
    bool m_resourceSeen = false;
    bool m_sawResourceSpans = false;
    std::vector<OtlpPiece> m_held;
};

} // namespace

OtlpStreamReader::OtlpStreamReader(std::string name, Sink onResource, Sink onSpan)
    : m_name(std::move(name))
    , m_onResource(std::move(onResource))
    , m_onSpan(std::move(onSpan)) {}

size_t OtlpStreamReader::read(std::istream &in) {
    CountingBuffer buffer(in.rdbuf());
    std::istream counted(&buffer);
    size_t documents = 0;
    for (;;) {
        int c = buffer.sgetc();
        while (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            c = buffer.snextc();
        if (c == std::char_traits<char>::eof())
            break;
        const size_t start = buffer.position();
        // The first document is "$"; later ones (JSON Lines) are named by their line.
        const std::string prefix =
            documents == 0 ? "$"
                           : "line " + std::to_string(buffer.lineAndColumn(start).first) + ": $";
        Handler handler(m_name, prefix, m_onResource, m_onSpan);
        const bool ok = json::sax_parse(counted, &handler, json::input_format_t::json, false);
        if (!ok && !handler.syntaxError.empty()) {
            std::string what = handler.syntaxError;
            // nlohmann's tag ("[json.exception.out_of_range.406] ") means nothing to a person.
            if (what.rfind("[json.exception.", 0) == 0 && what.find("] ") != std::string::npos)
                what = what.substr(what.find("] ") + 2);
            const size_t colon = what.rfind(": ");
            const auto [line, column] = buffer.lineAndColumn(
                start + (handler.syntaxErrorByte ? handler.syntaxErrorByte - 1 : 0));
            throw OtlpError(m_name + ": line " + std::to_string(line) + ", column " +
                            std::to_string(column) + ": not valid JSON (" +
                            (colon == std::string::npos ? what : what.substr(colon + 2)) + ")");
        }
        ++documents;
    }
    return documents;
}

} // namespace pitwall
